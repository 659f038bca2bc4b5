import { Migration } from '@mikro-orm/migrations';

/**
 * `vote_set(type, id, user, value, now)`: one round trip per vote. Locks the (target, user) row (creating it first when
 * missing, outside the locking transaction so racing first votes of one user cannot deadlock), updates it and the
 * target's `vote_counts` in one transaction, and answers `like_count, dislike_count, version, changed`.
 * Deadlocks roll back and are re-raised; the caller retries.
 */
export class Migration20261126020100_vote_procedure extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop procedure if exists vote_set');
    this.addSql(`create procedure vote_set(
      in p_type varchar(20) character set ascii collate ascii_bin,
      in p_id int unsigned,
      in p_user int unsigned,
      in p_value tinyint,
      in p_now datetime(3))
    modifies sql data
    begin
      declare v_prev tinyint default null;
      declare v_like int default 0;
      declare v_dislike int default 0;
      declare exit handler for sqlexception begin rollback; resignal; end;
      start transaction;
      select value into v_prev from votes where target_type = p_type and target_id = p_id and user_id = p_user for update;
      if v_prev is null then
        commit;
        insert ignore into votes (target_type, target_id, user_id, value, updated_at) values (p_type, p_id, p_user, 0, p_now);
        start transaction;
        select value into v_prev from votes where target_type = p_type and target_id = p_id and user_id = p_user for update;
      end if;
      if v_prev <> p_value then
        update votes set value = p_value, updated_at = p_now where target_type = p_type and target_id = p_id and user_id = p_user;
        set v_like = (p_value = 1) - (v_prev = 1);
        set v_dislike = (p_value = -1) - (v_prev = -1);
        insert into vote_counts (target_type, target_id, like_count, dislike_count, version) values (p_type, p_id, v_like, v_dislike, 1)
          on duplicate key update like_count = like_count + v_like, dislike_count = dislike_count + v_dislike, version = version + 1;
      end if;
      select coalesce(max(like_count), 0) as like_count, coalesce(max(dislike_count), 0) as dislike_count, coalesce(max(version), 0) as version,
             (v_prev <> p_value) as changed
        from vote_counts where target_type = p_type and target_id = p_id;
      commit;
    end`);
  }

  override async down(): Promise<void> {
    this.addSql('drop procedure if exists vote_set');
  }
}
