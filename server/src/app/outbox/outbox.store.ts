import type { Knex } from '@mikro-orm/mysql';
import type { DomainEvent, StoredEvent } from '../events.js';

interface OutboxRow {
  id: number | string;
  payload: string;
  created_at: Date;
}

const toStored = (r: OutboxRow): StoredEvent => ({
  ...(JSON.parse(r.payload) as DomainEvent),
  id: Number(r.id),
  occurredAt: new Date(r.created_at).toISOString(),
});

/** The outbox's SQL: events are rows until a relay has handed them on (`sent_at`). */
export const outboxStore = {
  async insert(trx: Knex.Transaction, events: readonly DomainEvent[], now: Date): Promise<void> {
    await trx.raw(
      `insert into outbox_events (type, payload, created_at) values ${events.map(() => '(?, ?, ?)').join(', ')}`,
      events.flatMap((e) => [e.type, JSON.stringify(e), now]),
    );
  },

  /** The oldest unsent events, locked; rows another relay holds are skipped rather than waited for. */
  async claim(trx: Knex.Transaction, limit: number): Promise<StoredEvent[]> {
    const [rows] = (await trx.raw(
      'select id, payload, created_at from outbox_events where sent_at is null order by id limit ? for update skip locked',
      [limit],
    )) as [OutboxRow[]];
    return rows.map(toStored);
  },

  async markSent(trx: Knex.Transaction, ids: readonly number[], now: Date): Promise<void> {
    await trx.raw(`update outbox_events set sent_at = ? where id in (${ids.map(() => '?').join(', ')})`, [now, ...ids]);
  },

  async unsentCount(knex: Knex): Promise<number> {
    const [[row]] = (await knex.raw('select count(*) as n from outbox_events where sent_at is null')) as [{ n: number }[]];
    return Number(row?.n ?? 0);
  },

  /** Deletes sent events recorded before `before`, in chunks so no statement holds locks for long; returns rows removed. */
  async pruneSent(knex: Knex, before: Date, chunk = 5000): Promise<number> {
    let removed = 0;
    for (;;) {
      const [res] = (await knex.raw('delete from outbox_events where sent_at is not null and created_at < ? order by id limit ?', [
        before,
        chunk,
      ])) as [{ affectedRows: number }];
      removed += res.affectedRows;
      if (res.affectedRows < chunk) return removed;
    }
  },
};
