import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import type { NotificationService } from './notification.service.js';

/** Hourly: forgets applied events older than NOTIFICATION_EVENTS_KEEP_DAYS (the dedupe table would grow forever). */
export function pruneNotificationEventsJob(notifications: NotificationService): JobDefinition<unknown, number> {
  return { queue: QueueName.SYSTEM, name: 'notification-events-prune', everyMs: 3_600_000, handle: () => notifications.pruneEvents() };
}
