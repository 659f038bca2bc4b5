import { Migration } from '@mikro-orm/migrations';

export class Migration20261126010000_auth extends Migration {
  override async up(): Promise<void> {
    // Refresh tokens are stored as SHA-256 hashes; a family is one sign-in and every token rotated from it.
    this.addSql(`create table if not exists refresh_tokens (
      id int unsigned not null auto_increment primary key,
      user_id int unsigned not null,
      family_id char(32) character set ascii collate ascii_bin not null,
      token_hash char(64) character set ascii collate ascii_bin not null,
      expires_at datetime(3) not null,
      created_at datetime(3) not null,
      rotated_at datetime(3) null,
      revoked_at datetime(3) null,
      unique key refresh_tokens_token_hash_unique (token_hash),
      key refresh_tokens_family_idx (family_id),
      key refresh_tokens_user_idx (user_id, expires_at),
      constraint refresh_tokens_user_fk foreign key (user_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists refresh_tokens');
  }
}
