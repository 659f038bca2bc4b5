import { Migration } from '@mikro-orm/migrations';

/** The worker prunes applied notification events by age; the index keeps each chunk of that a range read. */
export class Migration20261126070200_notification_events_age extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table notification_events add index notification_events_created_idx (created_at)');
  }

  override async down(): Promise<void> {
    this.addSql('alter table notification_events drop index notification_events_created_idx');
  }
}
