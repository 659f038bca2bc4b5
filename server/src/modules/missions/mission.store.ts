import type { AbstractSqlConnection as Connection, Knex } from '@mikro-orm/mysql';

/** One grant for the `mission_grant` procedure. */
export interface GrantRequest {
  user: number;
  checkWindow: boolean;
  now: Date;
  reason: string | null;
  reviewer: number | null;
}

export interface GrantOutcome {
  outcome: 'GRANTED' | 'FULL' | 'CLOSED' | 'MISSING' | 'DUPLICATE';
  /** The user's points after the grant. */
  points: number | null;
  /** The approved submission row (GRANTED only). */
  submission: Record<string, unknown> | null;
}

/** The procedure's `now` parameter: DATETIME(3) text in UTC, the connection's time zone. */
const sqlDateTime = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 23);
const affected = (res: unknown) => (res as { affectedRows: number }).affectedRows;

/**
 * `mission_grant(mission, grants)`: first-come grants of one mission, several per round trip. `grants` is a JSON array
 * of `{ user, checkWindow, now, reason, reviewer }`. The capacity claim (`approved_count`) locks the mission row, so
 * grants of a mission serialise: here the lock is held for server work instead of six client round trips, which is
 * what made a rush queue up (mission-rush benchmark: ~3,000 submissions/s with it), and the batch is one transaction
 * (one log flush) with a savepoint per grant, so a user who already holds the reward does not undo the others. A grant
 * an admin approved records its MissionReviewed event in the same transaction. Answers two result sets: `results`, a
 * JSON array of `{ user, outcome, points, submission }` (outcome GRANTED, FULL, CLOSED, MISSING or DUPLICATE), and the
 * granted submission rows.
 */
export const MISSION_GRANT_PROCEDURE = `create procedure mission_grant(in p_mission int unsigned, in p_grants longtext)
    modifies sql data
    begin
      declare v_i int default 0;
      declare v_n int default json_length(p_grants);
      declare v_out longtext default '[]';
      declare v_item longtext;
      declare v_user int unsigned;
      declare v_check tinyint;
      declare v_now datetime(3);
      declare v_reason varchar(300);
      declare v_reviewer int unsigned;
      declare v_outcome varchar(10);
      declare v_reward int;
      declare v_points int;
      declare v_submission int unsigned;
      declare exit handler for sqlexception begin rollback; resignal; end;
      start transaction;
      while v_i < v_n do
        set v_item = json_extract(p_grants, concat('$[', v_i, ']'));
        set v_user = json_value(v_item, '$.user');
        set v_check = json_value(v_item, '$.checkWindow');
        set v_now = json_value(v_item, '$.now');
        set v_reason = json_value(v_item, '$.reason');
        set v_reviewer = json_value(v_item, '$.reviewer');
        set v_points = null, v_submission = null;
        one: begin
          declare exit handler for 1062 begin rollback to savepoint grant_one; set v_outcome = 'DUPLICATE'; end;
          savepoint grant_one;
          update missions set approved_count = approved_count + 1
            where id = p_mission and (capacity is null or approved_count < capacity)
              and (v_check = 0 or (closed_at is null and starts_at <= v_now and ends_at > v_now));
          if row_count() <> 1 then
            set v_outcome = case
              when not exists (select 1 from missions where id = p_mission) then 'MISSING'
              when v_check = 1 and exists (select 1 from missions where id = p_mission
                and not (closed_at is null and starts_at <= v_now and ends_at > v_now)) then 'CLOSED'
              else 'FULL' end;
            leave one;
          end if;
          select reward_points into v_reward from missions where id = p_mission;
          insert into mission_submissions (mission_id, user_id, status, reason, reward_points, reviewed_by, reviewed_at, created_at, updated_at)
            values (p_mission, v_user, 'APPROVED', v_reason, v_reward, v_reviewer, if(v_reviewer is null, null, v_now), v_now, v_now)
            on duplicate key update id = last_insert_id(id), status = 'APPROVED', reason = values(reason), reward_points = values(reward_points),
              reviewed_by = values(reviewed_by), reviewed_at = values(reviewed_at), updated_at = values(updated_at);
          set v_submission = last_insert_id();
          insert into points_ledger (user_id, amount, kind, mission_id, submission_id, created_at)
            values (v_user, v_reward, 'MISSION', p_mission, v_submission, v_now);
          update users set points = points + v_reward where id = v_user;
          select points into v_points from users where id = v_user;
          set v_outcome = 'GRANTED';
          if v_reviewer is not null then
            insert into outbox_events (type, payload, created_at) values ('MissionReviewed', json_object('type', 'MissionReviewed',
              'submissionId', cast(v_submission as unsigned), 'reviewerId', cast(v_reviewer as unsigned), 'submitterId', cast(v_user as unsigned),
              'approved', true), v_now);
          end if;
        end one;
        set v_out = json_array_append(v_out, '$',
          json_object('user', v_user, 'outcome', v_outcome, 'points', v_points, 'submission', if(v_outcome = 'GRANTED', v_submission, null)));
        set v_i = v_i + 1;
      end while;
      commit;
      select v_out as results;
      select s.* from mission_submissions s
        join json_table(v_out, '$[*]' columns (id int unsigned path '$.submission')) j on s.id = j.id;
    end`;

/** Every SQL statement of missions beyond plain ORM reads; the grant itself is the procedure above. */
export const missionStore = {
  /** Runs a batch of grants of one mission in one call (one transaction). */
  async grant(conn: Connection, missionId: number, grants: readonly GrantRequest[]): Promise<GrantOutcome[]> {
    const [[{ results }], submissions] = await conn.execute<[{ results: string }[], Record<string, unknown>[]]>(
      'call mission_grant(?, ?)',
      [missionId, JSON.stringify(grants.map((g) => ({ ...g, checkWindow: g.checkWindow ? 1 : 0, now: sqlDateTime(g.now) })))],
    );
    const byId = new Map(submissions.map((s) => [Number(s.id), s]));
    // MariaDB's JSON_OBJECT renders the procedure's integer variables as strings.
    return (JSON.parse(results) as { outcome: GrantOutcome['outcome']; points: string | null; submission: string | null }[]).map((r) => ({
      outcome: r.outcome,
      points: r.points === null ? null : Number(r.points),
      submission: r.submission === null ? null : (byId.get(Number(r.submission)) ?? null),
    }));
  },

  /** Capacity and the users already rewarded: what the Redis slots are seeded from. Null when the mission is gone. */
  async capacityAndWinners(conn: Connection, missionId: number): Promise<{ capacity: number | null; winners: number[] } | null> {
    const [mission] = await conn.execute('select capacity from missions where id = ?', [missionId]);
    if (!mission) return null;
    const winners: { user_id: number }[] = await conn.execute('select user_id from points_ledger where mission_id = ?', [missionId]);
    return { capacity: mission.capacity, winners: winners.map((w) => w.user_id) };
  },

  /** A guarded capacity change: concurrent grants may raise approved_count meanwhile. False when below it. */
  async setCapacity(conn: Connection, id: number, capacity: number | null): Promise<boolean> {
    const res = await conn.execute(
      'update missions set capacity = ? where id = ? and (? is null or approved_count <= ?)',
      [capacity, id, capacity, capacity],
      'run',
    );
    return affected(res) === 1;
  },

  /** A new photo replaces a rejected one; an approved or pending one stays. */
  async submitPhoto(
    conn: Connection,
    s: { missionId: number; userId: number; uploadId: string; check: unknown; now: Date },
  ): Promise<void> {
    await conn.execute(
      `insert into mission_submissions (mission_id, user_id, status, reason, reward_points, upload_id, photo_check, created_at, updated_at)
       values (?, ?, 'PENDING_REVIEW', null, null, ?, ?, ?, ?)
       on duplicate key update
         upload_id = if(status = 'REJECTED', values(upload_id), upload_id),
         photo_check = if(status = 'REJECTED', values(photo_check), photo_check),
         reason = if(status = 'REJECTED', null, reason),
         reviewed_by = if(status = 'REJECTED', null, reviewed_by),
         reviewed_at = if(status = 'REJECTED', null, reviewed_at),
         updated_at = if(status = 'REJECTED', values(updated_at), updated_at),
         status = if(status = 'REJECTED', 'PENDING_REVIEW', status)`,
      [s.missionId, s.userId, s.uploadId, JSON.stringify(s.check), s.now, s.now],
      'run',
    );
  },

  /** Records a failed proof unless the user already completed the mission or waits for a review. */
  async recordFailure(conn: Connection, s: { missionId: number; userId: number; reason: string; now: Date }): Promise<void> {
    await conn.execute(
      `insert into mission_submissions (mission_id, user_id, status, reason, created_at, updated_at) values (?, ?, 'REJECTED', ?, ?, ?)
       on duplicate key update
         reason = if(status = 'REJECTED', values(reason), reason),
         updated_at = if(status = 'REJECTED', values(updated_at), updated_at)`,
      [s.missionId, s.userId, s.reason, s.now, s.now],
      'run',
    );
  },

  /** An admin rejects a pending photo; false when it is no longer pending. */
  async rejectPending(trx: Knex.Transaction, s: { id: number; reason: string; reviewerId: number; now: Date }): Promise<boolean> {
    const n = await trx('mission_submissions')
      .where({ id: s.id, status: 'PENDING_REVIEW' })
      .update({ status: 'REJECTED', reason: s.reason, reviewed_by: s.reviewerId, reviewed_at: s.now, updated_at: s.now });
    return n === 1;
  },
};
