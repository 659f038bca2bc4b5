import type { AbstractSqlConnection as Connection, Knex } from '@mikro-orm/mysql';
import { Batcher } from '../../app/batcher.js';
import type { DomainEvent } from '../../app/events.js';
import { insertedRows } from '../../app/inserted-rows.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';

export interface NewComment {
  targetType: string;
  targetId: number;
  parentId: number | null;
  authorId: number;
  body: string;
  createdAt: Date;
  /** For the events: who owns the target, and who wrote the comment replied to. */
  targetOwnerId: number | null;
  parentAuthorId: number | null;
}

/** Each new comment's id, or why MySQL refused it. */
export type Inserted = { id: number } | { error: unknown };

const COLUMNS = 'insert into comments (target_type, target_id, parent_id, author_id, body, created_at) values';
const values = (c: NewComment) => [c.targetType, c.targetId, c.parentId, c.authorId, c.body, c.createdAt];
const marks = (n: number) => Array(n).fill('?').join(',');

type ReadBack = { id: number; author_id: number; target_type: string; target_id: number };

/** The batch cannot stand as one (a row refused, or ids not all ours): every row goes alone instead. */
class OneByOne extends Error {}

function eventsOf(c: NewComment, commentId: number): DomainEvent[] {
  const added: DomainEvent = {
    type: 'CommentAdded',
    commentId,
    actorId: c.authorId,
    targetType: c.targetType,
    targetId: c.targetId,
    targetOwnerId: c.targetOwnerId,
  };
  if (c.parentId == null) return [added];
  return [added, { type: 'ReplyAdded', commentId, actorId: c.authorId, parentId: c.parentId, parentAuthorId: c.parentAuthorId }];
}

/**
 * Comments' SQL. New comments are a hot write and group-committed: the comments of concurrent requests go to MySQL
 * as one multi-row INSERT with their events in one transaction, so a burst costs a few round trips and one commit.
 */
export class CommentStore {
  private readonly inserts = new Batcher<Connection, NewComment, Inserted>(
    (conn, rows) => (rows.length === 1 ? this.insertEach(conn, rows) : this.insertTogether(conn, rows)),
    { maxBatch: 100 },
  );

  constructor(private readonly events: EventRecorder) {}

  add(conn: Connection, comment: NewComment): Promise<Inserted> {
    return this.inserts.add(conn, comment);
  }

  /**
   * One comment in a transaction of its own, where `claim` runs too (an idempotency key): kept out of the group commit,
   * whose batch a key already taken would roll back for everyone.
   */
  async addAlone(conn: Connection, comment: NewComment, claim: (trx: Knex.Transaction, id: number) => Promise<void>): Promise<number> {
    const id = await conn.getKnex().transaction(async (trx: Knex.Transaction) => {
      const [res] = (await trx.raw(`${COLUMNS} (?, ?, ?, ?, ?, ?)`, values(comment))) as [{ insertId: number }];
      await this.events.record(trx, eventsOf(comment, res.insertId));
      await claim(trx, res.insertId);
      return res.insertId;
    });
    await this.events.committed();
    return id;
  }

  /** Live (not deleted) comments per target id of one type. */
  async liveCounts(conn: Connection, type: string, ids: readonly number[]): Promise<Map<number, number>> {
    const rows: { target_id: number; n: number }[] = await conn.execute(
      `select target_id, count(*) as n from comments where target_type = ? and deleted_at is null and target_id in (${marks(ids.length)})
       group by target_id`,
      [type, ...ids],
    );
    return new Map(rows.map((r) => [Number(r.target_id), Number(r.n)]));
  }

  async idsOn(conn: Connection, type: string, id: number): Promise<number[]> {
    const rows: { id: number }[] = await conn.execute('select id from comments where target_type = ? and target_id = ?', [type, id]);
    return rows.map((r) => Number(r.id));
  }

  async deleteOn(conn: Connection, type: string, id: number): Promise<void> {
    await conn.execute('delete from comments where target_type = ? and target_id = ?', [type, id]);
  }

  /**
   * One multi-row INSERT, its ids read back and checked; if they are not all ours, or MySQL refuses a row, the
   * transaction rolls back and each row goes alone, so every request gets its own answer.
   */
  private async insertTogether(conn: Connection, rows: NewComment[]): Promise<Inserted[]> {
    let out: Inserted[];
    try {
      out = await conn.getKnex().transaction(async (trx: Knex.Transaction) => {
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
        await this.events.record(
          trx,
          rows.flatMap((row, i) => eventsOf(row, added[i]!.id)),
        );
        return added.map((r) => ({ id: r.id }));
      });
    } catch (err) {
      if (!(err instanceof OneByOne)) throw err;
      return this.insertEach(conn, rows);
    }
    await this.events.committed();
    return out;
  }

  private async insertEach(conn: Connection, rows: NewComment[]): Promise<Inserted[]> {
    const out: Inserted[] = [];
    for (const row of rows) {
      try {
        const id = await conn.getKnex().transaction(async (trx: Knex.Transaction) => {
          const [res] = (await trx.raw(`${COLUMNS} (?, ?, ?, ?, ?, ?)`, values(row))) as [{ insertId: number }];
          await this.events.record(trx, eventsOf(row, res.insertId));
          return res.insertId;
        });
        out.push({ id });
      } catch (error) {
        out.push({ error });
      }
    }
    if (out.some((r) => 'id' in r)) await this.events.committed();
    return out;
  }
}
