import type { AbstractSqlConnection as Connection, Knex } from '@mikro-orm/mysql';
import { Batcher } from '../../app/batcher.js';
import { boundingBox, boxWkt, pointWkt } from '../geo/points.js';

/** The post columns `postsNear` returns (mapped to `Post`), plus `distance_m`. */
export const POST_COLUMNS = 'p.id, p.author_id, p.title, p.body, p.topic, p.view_count, p.created_at, p.updated_at';

export interface NearArgs {
  latitude: number;
  longitude: number;
  radiusKm: number;
  /** Rows wanted (a page plus one, to know whether there is more). */
  limit: number;
  /** Keyset: posts strictly older than (createdAt ms, id). */
  cursor: [number, number] | null;
  /** How many newest posts the first plan looks among; 0 skips it. */
  recentRows: number;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * The two plans of `postsNear`, in the order to try them (the benchmark runs these very statements). Both select
 * the same columns in the same order with the same cursor, so either gives the same page. `recent` reads the newest
 * `recentRows` posts after the cursor from the time index, which carries the coordinates, and keeps those in the
 * circle: in a dense area it fills the page without walking the R-tree. If it returns fewer than `limit` rows, the
 * page is `spatial`'s: the SPATIAL INDEX finds the bounding box (MBRContains), ST_Distance_Sphere keeps the circle.
 */
export function nearStatements(a: NearArgs): { recent: Statement | null; spatial: Statement } {
  const centre = pointWkt(a.latitude, a.longitude);
  const box = boundingBox(a.latitude, a.longitude, a.radiusKm);
  const radiusM = a.radiusKm * 1000;
  // The OR form: MariaDB does not use an index for the row-constructor form (created_at, id) < (?, ?).
  const keyset = (alias: string) => (a.cursor ? `(${alias}.created_at < ? or (${alias}.created_at = ? and ${alias}.id < ?))` : '1 = 1');
  const keysetParams = a.cursor ? [new Date(a.cursor[0]), new Date(a.cursor[0]), a.cursor[1]] : [];
  const recent: Statement | null =
    a.recentRows > 0
      ? {
          sql: `select ${POST_COLUMNS}, ST_Distance_Sphere(point(w.longitude, w.latitude), ST_GeomFromText(?)) as distance_m
                  from (select r.id, r.created_at, r.latitude, r.longitude from posts r force index (posts_created_idx)
                         where ${keyset('r')} order by r.created_at desc, r.id desc limit ?) w
                  join posts p on p.id = w.id
                 where w.latitude between ? and ? and w.longitude between ? and ?
                   and ST_Distance_Sphere(point(w.longitude, w.latitude), ST_GeomFromText(?)) <= ?
                 order by w.created_at desc, w.id desc
                 limit ?`,
          params: [centre, ...keysetParams, a.recentRows, box.south, box.north, box.west, box.east, centre, radiusM, a.limit],
        }
      : null;
  const spatial: Statement = {
    sql: `select ${POST_COLUMNS}, ST_Distance_Sphere(p.location, ST_GeomFromText(?)) as distance_m
            from posts p
           where MBRContains(ST_GeomFromText(?), p.location)
             and ST_Distance_Sphere(p.location, ST_GeomFromText(?)) <= ?
             and ${keyset('p')}
           order by p.created_at desc, p.id desc
           limit ?`,
    params: [centre, boxWkt(box), centre, radiusM, ...keysetParams, a.limit],
  };
  return { recent, spatial };
}

/** A new post's row; the place becomes a POINT here and is never read back. */
export interface NewPost {
  authorId: number;
  title: string;
  body: string;
  topic: string;
  latitude: number;
  longitude: number;
  now: Date;
}

/**
 * Every SQL statement of posts beyond plain ORM reads. The place is a POINT(lng lat) written and searched only here;
 * nothing returns it.
 */
export class PostStore {
  // Votes and comments only need the post's author: concurrent checks share one `id in (...)` lookup.
  private readonly authors = new Batcher(async (conn: Connection, ids: number[]) => {
    const rows: { id: number; author_id: number }[] = await conn.execute(
      `select id, author_id from posts where id in (${ids.map(() => '?').join(',')})`,
      ids,
    );
    const found = new Map(rows.map((r) => [Number(r.id), Number(r.author_id)]));
    return ids.map((id) => (found.has(id) ? { ownerId: found.get(id)! } : null));
  });

  /** The post's author, or null when the post does not exist. */
  ownerOf(conn: Connection, id: number): Promise<{ ownerId: number } | null> {
    return this.authors.add(conn, id);
  }

  /** Inserts a post; returns its id. */
  async insert(conn: Connection, p: NewPost): Promise<number> {
    const res = await conn.execute(
      'insert into posts (author_id, title, body, topic, location, view_count, created_at, updated_at) values (?, ?, ?, ?, ST_GeomFromText(?), 0, ?, ?)',
      [p.authorId, p.title, p.body, p.topic, pointWkt(p.latitude, p.longitude), p.now, p.now],
      'run',
    );
    return Number((res as unknown as { insertId: number }).insertId);
  }

  /** The same insert inside the caller's transaction (a post with an idempotency key claims it there too). */
  async insertIn(trx: Knex.Transaction, p: NewPost): Promise<number> {
    const [res] = (await trx.raw(
      'insert into posts (author_id, title, body, topic, location, view_count, created_at, updated_at) values (?, ?, ?, ?, ST_GeomFromText(?), 0, ?, ?)',
      [p.authorId, p.title, p.body, p.topic, pointWkt(p.latitude, p.longitude), p.now, p.now],
    )) as [{ insertId: number }];
    return Number(res.insertId);
  }

  async move(conn: Connection, id: number, latitude: number, longitude: number): Promise<void> {
    await conn.execute('update posts set location = ST_GeomFromText(?) where id = ?', [pointWkt(latitude, longitude), id]);
  }

  async delete(conn: Connection, id: number): Promise<void> {
    await conn.execute('delete from posts where id = ?', [id]);
  }

  /** The rows of `postsNear` (`POST_COLUMNS` plus `distance_m`): the newest-rows plan, then the spatial one when it falls short. */
  async near(conn: Connection, args: NearArgs): Promise<Record<string, unknown>[]> {
    const plans = nearStatements(args);
    let rows: Record<string, unknown>[] = [];
    if (plans.recent) rows = await conn.execute(plans.recent.sql, plans.recent.params);
    if (rows.length < args.limit) rows = await conn.execute(plans.spatial.sql, plans.spatial.params);
    return rows;
  }
}
