import type { Knex } from '@mikro-orm/mysql';

/**
 * The rows a multi-row INSERT inside `trx` just added, read back by id in insert order. Such an INSERT takes
 * consecutive ids from `insertId` on, but they are checked with `ours` rather than assumed: null when they are not all
 * ours, and the caller rolls back.
 */
export async function insertedRows<R>(
  trx: Knex.Transaction,
  table: string,
  columns: string,
  insertId: number,
  count: number,
  ours: (row: R, i: number) => boolean,
): Promise<R[] | null> {
  const [rows] = (await trx.raw(`select ${columns} from ${table} where id >= ? and id < ? order by id`, [insertId, insertId + count])) as [
    R[],
  ];
  return rows.length === count && rows.every(ours) ? rows : null;
}
