import type { Knex } from '@mikro-orm/mysql';
import { badInput } from '../errors.js';
import type { JobDefinition } from '../queue/jobs.js';
import { QueueName } from '../queue/queues.js';
import { idempotencyStore } from './idempotency.store.js';

/** How long a key answers with its first result. */
export const KEY_LIFETIME_MS = 24 * 3600 * 1000;
const KEY_FORMAT = /^[\x21-\x7e]{1,100}$/;
const RACES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_DUP_ENTRY']);

/** The key was claimed by a concurrent retry first: the caller rolls back and answers that retry's result. */
export class KeyTaken extends Error {
  constructor(readonly resultId: number) {
    super('idempotency key already used');
  }
}

/**
 * Retried writes (a client that lost the answer, a proxy that resent the request) return the first result: the
 * same key from the same user for the same operation within 24 h. The key is claimed in the write's own transaction,
 * so a write that committed always has its key, and two concurrent retries cannot both write.
 */
export class IdempotencyKeys {
  constructor(private readonly knex: () => Knex) {}

  /** BAD_USER_INPUT unless 1 to 100 printable ASCII characters. */
  check(key: string | null | undefined, field = 'idempotencyKey'): string | null {
    if (key == null) return null;
    if (!KEY_FORMAT.test(key)) throw badInput({ [field]: ['must be 1 to 100 printable ASCII characters'] });
    return key;
  }

  /** The first result of this key, if it was used within 24 h. */
  first(userId: number, operation: string, key: string): Promise<number | null> {
    return idempotencyStore.find(this.knex(), userId, operation, key, new Date(Date.now() - KEY_LIFETIME_MS));
  }

  /** Claims the key for `resultId` inside the write's transaction; throws KeyTaken when a concurrent retry won. */
  async claim(trx: Knex.Transaction, userId: number, operation: string, key: string, resultId: number): Promise<void> {
    const now = new Date();
    try {
      await idempotencyStore.claim(trx, userId, operation, key, resultId, now, new Date(now.getTime() - KEY_LIFETIME_MS));
    } catch (err) {
      if ((err as { code?: string }).code !== 'ER_DUP_ENTRY') throw err;
      const winner = await this.first(userId, operation, key);
      throw winner === null ? err : new KeyTaken(winner);
    }
  }

  /**
   * After a write with a key failed: the id of the result that owns the key now, or null when the failure was not a
   * lost race. Racing retries of one key can also deadlock on its unique index; the survivor commits shortly.
   */
  async winnerAfter(err: unknown, userId: number, operation: string, key: string): Promise<number | null> {
    if (err instanceof KeyTaken) return err.resultId;
    if (!RACES.has((err as { code?: string }).code ?? '')) return null;
    for (let attempt = 0; attempt < 25; attempt++) {
      const winner = await this.first(userId, operation, key);
      if (winner !== null) return winner;
      await new Promise((r) => setTimeout(r, 20));
    }
    return null;
  }

  /** Hourly: forgets keys older than their lifetime. */
  pruneJob(): JobDefinition<unknown, number> {
    return {
      queue: QueueName.SYSTEM,
      name: 'idempotency-keys-prune',
      everyMs: 3_600_000,
      handle: () => idempotencyStore.prune(this.knex(), new Date(Date.now() - KEY_LIFETIME_MS)),
    };
  }
}
