import type { Knex } from '@mikro-orm/mysql';
import type { StoredEvent } from '../events.js';
import type { Logger } from '../logger.js';
import { outboxStore } from './outbox.store.js';

/** Where claimed events go: BullMQ jobs per consumer (queued), or the consumers themselves (inline). */
export type EventSink = (events: StoredEvent[]) => Promise<void>;

const BATCH = 500;

/**
 * Moves committed outbox rows to the sink in batches and marks them sent, in one READ COMMITTED transaction per batch
 * (no gap locks, so producers inserting new events never wait on it). Relays in several processes share the work:
 * rows one of them holds are skipped by the others. A sink that fails rolls its batch back for the next sweep; a sink
 * that succeeded before a crash delivers again, which consumers absorb (idempotent by event id).
 */
export class OutboxRelay {
  private current: Promise<number> | null = null;
  private next: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    private readonly knex: () => Knex,
    private readonly sink: EventSink,
    private readonly logger: Logger,
  ) {}

  /** Sweeps now, or once more right after the sweep in flight; resolves when what was committed before the call is handed on. */
  sweep(): Promise<number> {
    if (!this.current) {
      this.current = this.drain().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    // Callers arriving during a sweep share one follow-up sweep.
    this.next ??= this.current.then(() => {
      this.next = null;
      return this.sweep();
    });
    return this.next;
  }

  /** Sweeps every `everyMs` as well (events whose wake-up was lost: Redis down, a process killed after its commit). */
  start(everyMs: number): void {
    const tick = () => {
      this.timer = setTimeout(() => void this.sweep().finally(tick), everyMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.next;
    await this.current;
  }

  private async drain(): Promise<number> {
    let total = 0;
    try {
      for (let moved = BATCH; moved === BATCH; total += moved) moved = await this.batch();
      if (this.failing) this.logger.info({ events: total }, 'outbox relay delivering again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.warn({ err }, 'outbox relay cannot deliver; events stay in MySQL until it can');
      this.failing = true;
    }
    return total;
  }

  private batch(): Promise<number> {
    return this.knex().transaction(
      async (trx) => {
        const events = await outboxStore.claim(trx, BATCH);
        if (!events.length) return 0;
        await this.sink(events);
        await outboxStore.markSent(
          trx,
          events.map((e) => e.id),
          new Date(),
        );
        return events.length;
      },
      { isolationLevel: 'read committed' },
    );
  }
}
