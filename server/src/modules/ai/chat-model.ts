import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../../app/config.js';

type LlmConfig = Pick<Config, 'LLM_PROVIDER' | 'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_TIMEOUT_MS'>;

/** The LangChain chat model `LLM_PROVIDER` names; null for `none`. Providers are loaded only when chosen. */
export function createChatModel(config: LlmConfig): BaseChatModel | null {
  const model = config.LLM_MODEL ?? '';
  switch (config.LLM_PROVIDER) {
    case 'none':
      return null;
    case 'openai': {
      const { ChatOpenAI } = require('@langchain/openai') as typeof import('@langchain/openai');
      return new ChatOpenAI({
        model,
        apiKey: config.LLM_API_KEY ?? 'not-needed',
        temperature: 0.2,
        timeout: config.LLM_TIMEOUT_MS,
        maxRetries: 0,
        configuration: config.LLM_BASE_URL ? { baseURL: config.LLM_BASE_URL } : undefined,
      });
    }
    case 'ollama': {
      const { ChatOllama } = require('@langchain/ollama') as typeof import('@langchain/ollama');
      return new ChatOllama({ model, baseUrl: config.LLM_BASE_URL, temperature: 0.2, format: 'json' });
    }
    case 'anthropic': {
      const { ChatAnthropic } = require('@langchain/anthropic') as typeof import('@langchain/anthropic');
      return new ChatAnthropic({
        model,
        apiKey: config.LLM_API_KEY,
        anthropicApiUrl: config.LLM_BASE_URL,
        temperature: 0.2,
        maxRetries: 0,
        clientOptions: { timeout: config.LLM_TIMEOUT_MS },
      });
    }
  }
}

/** Human name of the configured model, stored as `generatedBy`. */
export function modelLabel(config: LlmConfig): string {
  return config.LLM_PROVIDER === 'none' ? 'template' : `${config.LLM_PROVIDER}:${config.LLM_MODEL}`;
}
