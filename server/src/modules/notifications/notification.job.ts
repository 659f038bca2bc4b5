import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import { NOTIFY_JOB, type NotificationEventData, type NotificationService } from './notification.service.js';

/** Writes one notification (idempotently, by the event's dedupe key) and publishes it to the recipient. */
export const notifyJob: JobDefinition<{ notifications: NotificationService }, NotificationEventData, number[]> = {
  queue: QueueName.NOTIFICATIONS,
  name: NOTIFY_JOB,
  handle: (job, s) => s.notifications.apply(job.data),
};
