import { DriverException } from '@mikro-orm/core';

export type DependencyName = 'mysql' | 'redis';

// Socket-level failures of any client: which store it was is told by the error's other marks, if any.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// mysql2's own codes for a connection that died or cannot take commands, and the server refusing connections.
const MYSQL_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);
const MYSQL_MESSAGES = [
  /can't add new command when connection is in closed state/i,
  /^Knex: Timeout acquiring a connection/,
  /connection lost/i,
];
// ioredis: no connection and no offline queue, the connection closed under a command, the command timeout, the retry limit.
const REDIS_MESSAGES = [/^Stream isn't writeable/, /^Connection is closed\.?$/, /^Command timed out/, /max retries per request/i];

/**
 * Which store a thrown value says is unreachable: `'mysql'`, `'redis'`, `'unknown'` for a bare socket failure, or
 * `null` when it is not a dependency failure at all. Looks through `cause` and `originalError` chains.
 */
export function dependencyFailure(error: unknown): DependencyName | 'unknown' | null {
  let found: DependencyName | 'unknown' | null = null;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const kind = classify(current);
    if (kind && kind !== 'unknown') return kind;
    found ??= kind;
    current = (current as { originalError?: unknown }).originalError ?? current.cause;
  }
  return found;
}

function classify(error: Error): DependencyName | 'unknown' | null {
  const code = String((error as { code?: unknown }).code ?? '');
  if (error.name === 'KnexTimeoutError' || MYSQL_CODES.has(code) || MYSQL_MESSAGES.some((m) => m.test(error.message))) return 'mysql';
  if (REDIS_MESSAGES.some((m) => m.test(error.message)) || error.name === 'MaxRetriesPerRequestError') return 'redis';
  if (NETWORK_CODES.has(code)) return error instanceof DriverException || 'sqlState' in error || 'fatal' in error ? 'mysql' : 'unknown';
  return null;
}
