import type { AbstractSqlConnection as Connection, Knex } from '@mikro-orm/mysql';
import { Batcher } from '../../app/batcher.js';
import { insertedRows } from '../../app/inserted-rows.js';

export interface NewComment {
  targetType: string;
  targetId: number;
  parentId: number | null;
  authorId: number;
  body: string;
  createdAt: Date;
}

/** Each new comment's id, or why MySQL refused it. */
export type Inserted = { id: number } | { error: unknown };

const COLUMNS = 'insert into comments (target_type, target_id, parent_id, author_id, body, created_at) values';
const values = (c: NewComment) => [c.targetType, c.targetId, c.parentId, c.authorId, c.body, c.createdAt];

type ReadBack = { id: number; author_id: number; target_type: string; target_id: number };

/** The batch cannot stand as one (a row refused, or ids not all ours): every row goes alone instead. */
class OneByOne extends Error {}

/**
 * Group commit for comments, a hot write: the comments of concurrent requests go to MySQL as one multi-row INSERT in
 * one transaction, so a burst costs a few round trips and one commit instead of one each. A lone comment is a single
 * autocommit INSERT, as before.
 */
export function commentInserts(): Batcher<Connection, NewComment, Inserted> {
  return new Batcher((conn, rows) => (rows.length === 1 ? insertEach(conn, rows) : insertTogether(conn, rows)), 100);
}

/**
 * One multi-row INSERT, its ids read back and checked; if they are not all ours, or MySQL refuses a row, the
 * transaction rolls back and each row goes alone, so every request gets its own answer.
 */
async function insertTogether(conn: Connection, rows: NewComment[]): Promise<Inserted[]> {
  try {
    return await conn.getKnex().transaction(async (trx: Knex.Transaction) => {
      let res: { insertId: number };
      try {
        [res] = await trx.raw(`${COLUMNS} ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flatMap(values));
      } catch (err) {
        // MySQL refused a row (its data, a foreign key): each row alone. A lost connection fails the batch as it is.
        if (!(err as { sqlState?: string }).sqlState) throw err;
        throw new OneByOne();
      }
      const ours = (r: ReadBack, i: number) =>
        r.author_id === rows[i]!.authorId && r.target_type === rows[i]!.targetType && r.target_id === rows[i]!.targetId;
      const added = await insertedRows(trx, 'comments', 'id, author_id, target_type, target_id', res.insertId, rows.length, ours);
      if (!added) throw new OneByOne();
      return added.map((r) => ({ id: r.id }));
    });
  } catch (err) {
    if (!(err instanceof OneByOne)) throw err;
    return insertEach(conn, rows);
  }
}

async function insertEach(conn: Connection, rows: NewComment[]): Promise<Inserted[]> {
  const out: Inserted[] = [];
  for (const row of rows) {
    try {
      const res = (await conn.execute(`${COLUMNS} (?, ?, ?, ?, ?, ?)`, values(row), 'run')) as unknown as { insertId: number };
      out.push({ id: res.insertId });
    } catch (error) {
      out.push({ error });
    }
  }
  return out;
}
