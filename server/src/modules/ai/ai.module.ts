import type { Config } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';
import { AiService } from './ai.service.js';

/** The language model (LangChain), when one is configured. */
export function createAiModule(deps: { config: Config; logger: Logger }) {
  return { ai: new AiService(deps.config, deps.logger) };
}
