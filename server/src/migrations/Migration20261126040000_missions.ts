import { Migration } from '@mikro-orm/migrations';

export class Migration20261126040000_missions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table uploads (
      id char(32) character set ascii collate ascii_bin not null primary key,
      owner_id int unsigned not null,
      mime_type varchar(20) not null,
      size_bytes int unsigned not null,
      file_name varchar(60) character set ascii collate ascii_bin not null,
      created_at datetime(3) not null,
      key uploads_owner_idx (owner_id),
      constraint uploads_owner_fk foreign key (owner_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table missions (
      id int unsigned not null auto_increment primary key,
      title varchar(100) not null,
      description text not null,
      starts_at datetime(3) not null,
      ends_at datetime(3) not null,
      closed_at datetime(3) null,
      reward_points int not null,
      capacity int null,
      approved_count int not null default 0,
      verification_kind varchar(10) not null,
      latitude double null,
      longitude double null,
      radius_meters int null,
      weather_condition varchar(40) null,
      code_hash varchar(200) null,
      created_by int unsigned not null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      key missions_window_idx (starts_at, ends_at),
      constraint missions_created_by_fk foreign key (created_by) references users (id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table mission_submissions (
      id int unsigned not null auto_increment primary key,
      mission_id int unsigned not null,
      user_id int unsigned not null,
      status varchar(15) not null,
      reason varchar(300) null,
      reward_points int null,
      upload_id char(32) character set ascii collate ascii_bin null,
      photo_check longtext null,
      reviewed_by int unsigned null,
      reviewed_at datetime(3) null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      unique key mission_submissions_mission_user_unique (mission_id, user_id),
      key mission_submissions_status_idx (status, id),
      key mission_submissions_user_idx (user_id),
      constraint mission_submissions_mission_fk foreign key (mission_id) references missions (id) on delete cascade,
      constraint mission_submissions_user_fk foreign key (user_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table points_ledger (
      id bigint unsigned not null auto_increment primary key,
      user_id int unsigned not null,
      amount int not null,
      kind varchar(20) not null,
      mission_id int unsigned null,
      submission_id int unsigned null,
      created_at datetime(3) not null,
      unique key points_ledger_mission_user_unique (mission_id, user_id),
      key points_ledger_user_idx (user_id),
      constraint points_ledger_user_fk foreign key (user_id) references users (id) on delete cascade,
      constraint points_ledger_mission_fk foreign key (mission_id) references missions (id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table points_ledger');
    this.addSql('drop table mission_submissions');
    this.addSql('drop table missions');
    this.addSql('drop table uploads');
  }
}
