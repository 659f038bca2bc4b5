import { Migration } from '@mikro-orm/migrations';

/**
 * Community: posts with a location, votes (one row per user and target), comments and view counts.
 *
 * `posts.location` is `POINT(longitude latitude)` in SRID 0, NOT NULL with a SPATIAL INDEX. MySQL 8 only uses a
 * spatial index on a column restricted to one SRID (`SRID 0` attribute), a syntax MariaDB 10.11 does not accept, so
 * the column definition depends on the server.
 */
export class Migration20261126020000_community extends Migration {
  override async up(): Promise<void> {
    const [{ v }] = (await this.execute('select version() as v')) as { v: string }[];
    const srid = /mariadb/i.test(v) ? '' : ' srid 0';
    this.addSql(`create table posts (
      id int unsigned not null auto_increment primary key,
      author_id int unsigned not null,
      title varchar(100) not null,
      body text not null,
      topic varchar(10) not null,
      location point not null${srid},
      view_count int unsigned not null default 0,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      spatial index posts_location_sidx (location),
      key posts_created_idx (created_at, id),
      key posts_author_idx (author_id),
      constraint posts_author_fk foreign key (author_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table votes (
      target_type varchar(20) character set ascii collate ascii_bin not null,
      target_id int unsigned not null,
      user_id int unsigned not null,
      value tinyint not null default 0,
      updated_at datetime(3) not null,
      primary key (target_type, target_id, user_id),
      key votes_user_idx (user_id),
      constraint votes_user_fk foreign key (user_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table vote_counts (
      target_type varchar(20) character set ascii collate ascii_bin not null,
      target_id int unsigned not null,
      like_count int not null default 0,
      dislike_count int not null default 0,
      version bigint unsigned not null default 0,
      primary key (target_type, target_id)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table comments (
      id int unsigned not null auto_increment primary key,
      target_type varchar(20) character set ascii collate ascii_bin not null,
      target_id int unsigned not null,
      parent_id int unsigned null,
      author_id int unsigned not null,
      body text not null,
      deleted_at datetime(3) null,
      created_at datetime(3) not null,
      key comments_target_idx (target_type, target_id, id),
      key comments_parent_idx (parent_id),
      constraint comments_author_fk foreign key (author_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists comments');
    this.addSql('drop table if exists vote_counts');
    this.addSql('drop table if exists votes');
    this.addSql('drop table if exists posts');
  }
}
