import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { z } from 'zod';
import type { Config } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';
import { createChatModel, modelLabel } from './chat-model.js';

/** A model failure a job reports as is. */
export class LlmError extends Error {
  constructor(
    readonly code: 'SERVICE_UNAVAILABLE' | 'INVALID_OUTPUT',
    message: string,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export const NO_MODEL_MESSAGE =
  'No language model is configured. Set LLM_PROVIDER (openai, ollama or anthropic), LLM_MODEL and LLM_BASE_URL or LLM_API_KEY to enable AI edits.';

/** Structured calls to the configured chat model: JSON answers validated by a zod schema, one repair retry. */
export class AiService {
  /** Resolves once the provider's package is loaded; a failure there surfaces on the first call, as a model failure. */
  private readonly model: Promise<BaseChatModel> | null;
  readonly label: string;
  private readonly timeoutMs: number;

  constructor(config: Config, logger: Pick<Logger, 'error'>) {
    this.model = createChatModel(config);
    // A provider that cannot be built is said once at start; each call then fails with its message.
    this.model?.catch((err: unknown) => logger.error({ err, provider: config.LLM_PROVIDER }, 'the language model could not be built'));
    this.label = modelLabel(config);
    this.timeoutMs = config.LLM_TIMEOUT_MS;
  }

  get enabled(): boolean {
    return this.model !== null;
  }

  /** Asks for JSON matching `schema`; an invalid answer gets one repair request listing the problems, then fails. */
  async structured<T>(schema: z.ZodType<T>, system: string, user: string): Promise<T> {
    if (!this.model) throw new LlmError('SERVICE_UNAVAILABLE', NO_MODEL_MESSAGE);
    const messages: BaseMessage[] = [new SystemMessage(system), new HumanMessage(user)];
    let problems = '';
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const text = await this.invoke(messages);
      const parsed = parseJson(text);
      if (parsed.ok) {
        const result = schema.safeParse(parsed.value);
        if (result.success) return result.data;
        problems = result.error.issues
          .slice(0, 10)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
      } else problems = parsed.error;
      messages.push(
        new AIMessage(text.slice(0, 4000)),
        new HumanMessage(
          `Your answer was not valid: ${problems}. Answer again with only the corrected JSON object, no prose, no code fences.`,
        ),
      );
    }
    throw new LlmError(
      'INVALID_OUTPUT',
      `The model did not return valid structured output after a repair attempt (${problems.slice(0, 200)}).`,
    );
  }

  private async invoke(messages: BaseMessage[]): Promise<string> {
    const started = Date.now();
    try {
      const answer = await (await this.model!).invoke(messages);
      const content = answer.content;
      return typeof content === 'string' ? content : content.map((c) => ('text' in c ? c.text : '')).join('');
    } catch (err) {
      const e = err as Error;
      // SDKs word an aborted request differently (and some only say "Connection error"): the clock decides too.
      const timedOut = /timed? ?out|timeout|abort/i.test(`${e.name} ${e.message}`) || Date.now() - started >= this.timeoutMs * 0.95;
      throw new LlmError(
        'SERVICE_UNAVAILABLE',
        timedOut ? 'The language model timed out; try again later.' : `The language model failed: ${e.message.slice(0, 200)}`,
      );
    }
  }
}

/** Parses a model's JSON answer, tolerating a ```json fence around it. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(trimmed);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1] : trimmed) };
  } catch (err) {
    return { ok: false, error: `not JSON (${(err as Error).message.slice(0, 80)})` };
  }
}
