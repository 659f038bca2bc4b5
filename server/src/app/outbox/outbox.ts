import type { Knex } from '@mikro-orm/mysql';
import type { DomainEvent } from '../events.js';
import { outboxStore } from './outbox.store.js';

/** Records a feature's events inside its own transaction; what happens after the commit is the relay's business. */
export interface EventRecorder {
  /** Adds `events` to the caller's open transaction: they exist if and only if it commits. */
  record(trx: Knex.Transaction, events: readonly DomainEvent[]): Promise<void>;
  /** Call after the commit. Wakes the relay and returns without waiting on Redis (inline mode: after delivery). */
  committed(): Promise<void>;
  /** Runs `work` in a transaction, records what it emits there, commits, then wakes the relay. */
  transaction<T>(work: (trx: Knex.Transaction, emit: (event: DomainEvent) => void) => Promise<T>): Promise<T>;
}

export class Outbox implements EventRecorder {
  constructor(
    private readonly knex: () => Knex,
    /** Queued mode: nudges a relay somewhere (fire and forget). Inline mode: delivers before resolving. */
    private readonly afterCommit: () => Promise<void>,
  ) {}

  async record(trx: Knex.Transaction, events: readonly DomainEvent[]): Promise<void> {
    if (events.length) await outboxStore.insert(trx, events, new Date());
  }

  committed(): Promise<void> {
    return this.afterCommit();
  }

  async transaction<T>(work: (trx: Knex.Transaction, emit: (event: DomainEvent) => void) => Promise<T>): Promise<T> {
    const events: DomainEvent[] = [];
    const result = await this.knex().transaction(async (trx) => {
      const value = await work(trx, (e) => events.push(e));
      await this.record(trx, events);
      return value;
    });
    if (events.length) await this.committed();
    return result;
  }
}
