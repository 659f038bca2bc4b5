import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, name: string): Logger {
  // Buffered writes keep logging off the request's hot path; tests log synchronously so nothing is lost on exit.
  const destination = pino.destination({ sync: config.NODE_ENV === 'test', minLength: config.NODE_ENV === 'test' ? 0 : 4096 });
  return pino({ name, level: config.LOG_LEVEL, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
