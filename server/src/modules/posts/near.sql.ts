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
