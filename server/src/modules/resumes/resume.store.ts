import type { AbstractSqlConnection as Connection } from '@mikro-orm/mysql';

/** Every SQL statement of resumes beyond plain ORM calls. */
export const resumeStore = {
  /**
   * PUBLIC resumes by popularity (stored views + likes, from the engagement module's `vote_counts`), keyset on
   * (score, id): ids and scores of the next `limit` after `cursor`.
   */
  async popular(conn: Connection, cursor: [number, number] | null, limit: number): Promise<{ id: number; score: number }[]> {
    const score = 'r.view_count + coalesce(vc.like_count, 0)';
    const rows: { id: number; score: number }[] = await conn.execute(
      `select r.id, ${score} as score from resumes r
       left join vote_counts vc on vc.target_type = 'Resume' and vc.target_id = r.id
       where r.visibility = 'PUBLIC'${cursor ? ` and (${score} < ? or (${score} = ? and r.id < ?))` : ''}
       order by score desc, r.id desc limit ?`,
      [...(cursor ? [cursor[0], cursor[0], cursor[1]] : []), limit],
    );
    return rows.map((r) => ({ id: Number(r.id), score: Number(r.score) }));
  },
};
