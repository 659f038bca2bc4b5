import { Migration } from '@mikro-orm/migrations';

export class Migration20261126060000_notifications extends Migration {
  override async up(): Promise<void> {
    // One row per notification a user sees; likes on one target share a row while it is unread (group_key).
    this.addSql(`create table notifications (
      id int unsigned not null auto_increment primary key,
      recipient_id int unsigned not null,
      kind varchar(20) not null,
      actor_id int unsigned null,
      actor_ids varchar(200) not null default '[]',
      target_type varchar(30) null,
      target_id int unsigned null,
      count int unsigned not null default 1,
      group_key varchar(100) null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      read_at datetime(3) null,
      unique key notifications_group_unique (recipient_id, group_key),
      key notifications_recipient_idx (recipient_id, id),
      key notifications_unread_idx (recipient_id, read_at, id),
      constraint notifications_recipient_fk foreign key (recipient_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    // Every domain event applied, by its dedupe key: a job that runs twice finds its key and changes nothing.
    this.addSql(`create table notification_events (
      dedupe_key varchar(150) not null primary key,
      created_at datetime(3) not null
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists notification_events');
    this.addSql('drop table if exists notifications');
  }
}
