import { Migration } from '@mikro-orm/migrations';
import { MISSION_GRANT_PROCEDURE } from '../modules/missions/mission.store.js';

/** `mission_grant` as missions' store defines it now: an approval by a reviewer records its MissionReviewed event. */
export class Migration20261204000100_mission_grant_events extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop procedure if exists mission_grant');
    this.addSql(MISSION_GRANT_PROCEDURE);
  }

  override async down(): Promise<void> {
    // The earlier definition stays in Migration20261126070000_mission_grant.
    this.addSql('drop procedure if exists mission_grant');
  }
}
