import { Migration } from '@mikro-orm/migrations';

/**
 * `mission_grant(mission, grants)`: first-come grants of one mission, several per round trip. `grants` is a JSON array
 * of `{ user, checkWindow, now, reason, reviewer }`. The capacity claim (`approved_count`) locks the mission row, so
 * grants of a mission serialise: here the lock is held for server work instead of six client round trips, which is
 * what made a rush queue up, and the batch is one transaction (one log flush) with a savepoint per grant, so a user
 * who already holds the reward does not undo the others. Answers two result sets: `results`, a JSON array of
 * `{ user, outcome, points, submission }` (outcome GRANTED, FULL, CLOSED, MISSING or DUPLICATE), and the granted
 * submission rows.
 */
export class Migration20261126070000_mission_grant extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop procedure if exists mission_grant');
    this.addSql(`create procedure mission_grant(in p_mission int unsigned, in p_grants longtext)
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
        end one;
        set v_out = json_array_append(v_out, '$',
          json_object('user', v_user, 'outcome', v_outcome, 'points', v_points, 'submission', if(v_outcome = 'GRANTED', v_submission, null)));
        set v_i = v_i + 1;
      end while;
      commit;
      select v_out as results;
      select s.* from mission_submissions s
        join json_table(v_out, '$[*]' columns (id int unsigned path '$.submission')) j on s.id = j.id;
    end`);
  }

  override async down(): Promise<void> {
    this.addSql('drop procedure if exists mission_grant');
  }
}
