import { Migration } from '@mikro-orm/migrations';

export class Migration20261126000000_users extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table users (
      id int unsigned not null auto_increment primary key,
      email varchar(254) character set utf8mb4 collate utf8mb4_bin null,
      nickname varchar(40) not null,
      nickname_key varchar(80) character set utf8mb4 collate utf8mb4_bin not null,
      password_hash varchar(100) null,
      kakao_id varchar(32) null,
      role varchar(10) not null default 'USER',
      points int not null default 0,
      home_latitude double null,
      home_longitude double null,
      home_province varchar(20) null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      unique key users_email_unique (email),
      unique key users_nickname_key_unique (nickname_key),
      unique key users_kakao_id_unique (kakao_id),
      key users_home_province_idx (home_province)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table users');
  }
}
