import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import { NOTIFY_JOB, type NotificationService, type NotifyJobData } from './notification.service.js';

/** Writes the notifications of a job's events (idempotently, by their dedupe keys) and publishes them to the recipients. */
export const notifyJob: JobDefinition<{ notifications: NotificationService }, NotifyJobData, number[]> = {
  queue: QueueName.NOTIFICATIONS,
  name: NOTIFY_JOB,
  handle: (job, s) => s.notifications.applyAll('events' in job.data ? job.data.events : [job.data]),
};

/**
 * Hourly: forgets applied events older than NOTIFICATION_EVENTS_KEEP_DAYS (the dedupe table would grow forever). On the
 * housekeeping queue, so the notifications queue stays empty when there is nothing to deliver.
 */
export const pruneNotificationEventsJob: JobDefinition<{ notifications: NotificationService }, unknown, number> = {
  queue: QueueName.SYSTEM,
  name: 'notification-events-prune',
  everyMs: () => 3_600_000,
  handle: (_job, s) => s.notifications.pruneEvents(),
};
