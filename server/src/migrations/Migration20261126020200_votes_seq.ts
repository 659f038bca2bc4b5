import { Migration } from '@mikro-orm/migrations';
import { Migration20261126020100_vote_procedure } from './Migration20261126020100_vote_procedure.js';

/**
 * Votes are serialised per (user, target) in Redis now (an atomic Lua script hands out a per-target sequence number),
 * and MySQL gets one autocommit upsert per vote guarded by that number: `votes.seq` keeps out-of-order writes from
 * leaving a stale row. The `vote_set` procedure is no longer called. `vote_counts` stays (resumes rank by it); it is
 * written with the counts and version Redis computed.
 */
export class Migration20261126020200_votes_seq extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table votes add column seq bigint unsigned not null default 0 after value');
    this.addSql('drop procedure if exists vote_set');
  }

  override async down(): Promise<void> {
    this.addSql('alter table votes drop column seq');
    const previous = new Migration20261126020100_vote_procedure(this.driver, this.config);
    await previous.up();
    for (const sql of previous.getQueries()) this.addSql(sql);
  }
}
