import { Migration } from '@mikro-orm/migrations';

/** The first result of a retried write: createPost, addComment and generateResume take an idempotencyKey. */
export class Migration20261204000200_idempotency_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists idempotency_keys (
      user_id int unsigned not null,
      operation varchar(32) not null,
      idem_key varchar(100) not null,
      result_id bigint unsigned not null,
      created_at datetime(3) not null,
      primary key (user_id, operation, idem_key),
      key idempotency_keys_created_idx (created_at)
    ) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists idempotency_keys');
  }
}
