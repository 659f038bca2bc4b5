import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import { NOTIFY_JOB, type NotificationService, type NotifyJobData } from './notification.service.js';

/** Writes the notifications of a job's events (idempotently, by their dedupe keys) and publishes them to the recipients. */
export const notifyJob: JobDefinition<{ notifications: NotificationService }, NotifyJobData, number[]> = {
  queue: QueueName.NOTIFICATIONS,
  name: NOTIFY_JOB,
  handle: (job, s) => s.notifications.applyAll('events' in job.data ? job.data.events : [job.data]),
};
