import { Migration } from '@mikro-orm/migrations';

/**
 * `postsNear` in a dense area: the R-tree hands over every post in the bounding box (thousands in central Seoul) before
 * the newest 20 can be picked, and InnoDB's R-tree search costs microseconds per entry. The newest posts overall are
 * a cheaper place to look there, so the time index also carries the coordinates (stored generated columns kept by
 * MySQL itself) and a scan of its newest rows needs no row lookups.
 */
export class Migration20261126070100_posts_recent_place extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table posts
      add column latitude double as (ST_Y(location)) stored,
      add column longitude double as (ST_X(location)) stored,
      drop index posts_created_idx,
      add index posts_created_idx (created_at, id, latitude, longitude)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table posts
      drop index posts_created_idx,
      add index posts_created_idx (created_at, id),
      drop column latitude,
      drop column longitude`);
  }
}
