import { Migration } from '@mikro-orm/migrations';

/** Domain events recorded with the change that caused them; a relay hands them on and marks them sent. */
export class Migration20261204000000_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists outbox_events (
      id bigint unsigned not null auto_increment primary key,
      type varchar(64) not null,
      payload longtext not null,
      created_at datetime(3) not null,
      sent_at datetime(3) null,
      key outbox_events_unsent_idx (sent_at, id),
      key outbox_events_created_idx (created_at)
    ) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_unicode_ci`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists outbox_events');
  }
}
