import type { Knex } from '@mikro-orm/mysql';

/** Idempotency keys' SQL: one row per (user, operation, key) naming the first result. */
export const idempotencyStore = {
  async find(knex: Knex, userId: number, operation: string, key: string, since: Date): Promise<number | null> {
    const row = await knex('idempotency_keys')
      .where({ user_id: userId, operation, idem_key: key })
      .andWhere('created_at', '>=', since)
      .first('result_id');
    return row ? Number(row.result_id) : null;
  },

  /** Inside the caller's transaction; throws ER_DUP_ENTRY when the key is taken (an older claim is replaced). */
  async claim(
    trx: Knex.Transaction,
    userId: number,
    operation: string,
    key: string,
    resultId: number,
    now: Date,
    since: Date,
  ): Promise<void> {
    await trx.raw('delete from idempotency_keys where user_id = ? and operation = ? and idem_key = ? and created_at < ?', [
      userId,
      operation,
      key,
      since,
    ]);
    await trx('idempotency_keys').insert({ user_id: userId, operation, idem_key: key, result_id: resultId, created_at: now });
  },

  async prune(knex: Knex, before: Date, chunk = 5000): Promise<number> {
    let removed = 0;
    for (;;) {
      const [res] = (await knex.raw('delete from idempotency_keys where created_at < ? order by created_at limit ?', [before, chunk])) as [
        { affectedRows: number },
      ];
      removed += res.affectedRows;
      if (res.affectedRows < chunk) return removed;
    }
  },
};
