import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { initChatModel } from 'langchain/chat_models/universal';
import type { Config } from '../../app/config.js';

type LlmConfig = Pick<Config, 'LLM_PROVIDER' | 'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_TIMEOUT_MS'>;

/** Each provider's own names for the base URL, key and timeout. */
function providerFields(config: LlmConfig): Record<string, unknown> {
  switch (config.LLM_PROVIDER) {
    case 'openai':
      return {
        apiKey: config.LLM_API_KEY ?? 'not-needed',
        timeout: config.LLM_TIMEOUT_MS,
        maxRetries: 0,
        configuration: config.LLM_BASE_URL ? { baseURL: config.LLM_BASE_URL } : undefined,
      };
    case 'ollama':
      return { baseUrl: config.LLM_BASE_URL, format: 'json' };
    case 'anthropic':
      return {
        apiKey: config.LLM_API_KEY,
        anthropicApiUrl: config.LLM_BASE_URL,
        maxRetries: 0,
        clientOptions: { timeout: config.LLM_TIMEOUT_MS },
      };
    default:
      return {};
  }
}

/**
 * The chat model `LLM_PROVIDER` names, through LangChain's `initChatModel` (which loads only that provider's package);
 * null for `none`.
 */
export function createChatModel(config: LlmConfig): Promise<BaseChatModel> | null {
  if (config.LLM_PROVIDER === 'none') return null;
  return initChatModel(config.LLM_MODEL ?? '', {
    modelProvider: config.LLM_PROVIDER,
    temperature: 0.2,
    ...providerFields(config),
  }) as Promise<BaseChatModel>;
}

/** Human name of the configured model, stored as `generatedBy`. */
export function modelLabel(config: LlmConfig): string {
  return config.LLM_PROVIDER === 'none' ? 'template' : `${config.LLM_PROVIDER}:${config.LLM_MODEL}`;
}
