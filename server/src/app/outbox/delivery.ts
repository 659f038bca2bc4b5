import type { EventConsumer, StoredEvent } from '../events.js';
import type { JobDefinition } from '../queue/jobs.js';
import { QueueName, type Queues } from '../queue/queues.js';
import type { EventSink } from './relay.js';

/** The pub/sub topic that tells relays committed events are waiting. */
export const OUTBOX_WAKE_TOPIC = 'OUTBOX_WAKE';

const forConsumer = (c: EventConsumer, events: StoredEvent[]) => events.filter((e) => c.handles.includes(e.type));

/** Queued delivery: each consumer gets the batch's events it handles as one BullMQ job (retried on its own). */
export function queuedSink(queues: Queues, consumers: readonly EventConsumer[]): EventSink {
  return async (events) => {
    const jobs = consumers
      .map((c) => ({ c, mine: forConsumer(c, events) }))
      .filter(({ mine }) => mine.length)
      .map(({ c, mine }) => ({
        name: c.name,
        data: { events: mine },
        // The same batch handed on twice (a relay died before marking it sent) is one job while the first exists.
        opts: { jobId: `${c.name}-${mine[0]!.id}-${mine.at(-1)!.id}`, attempts: 8, backoff: { type: 'exponential', delay: 500 } },
      }));
    if (jobs.length) await queues.get(QueueName.EVENTS).addBulk(jobs);
  };
}

/** Inline delivery (benchmark baseline): the consumers run in this process before the producer's call returns. */
export function inlineSink(consumers: readonly EventConsumer[]): EventSink {
  return async (events) => {
    await Promise.all(
      consumers.map((c) => forConsumer(c, events)).map((mine, i) => (mine.length ? consumers[i]!.handle(mine) : undefined)),
    );
  };
}

/** The worker's jobs that run consumers: one job name per consumer on the events queue. */
export function consumerJobs(consumers: readonly EventConsumer[]): JobDefinition<{ events: StoredEvent[] }>[] {
  return consumers.map((c) => ({ queue: QueueName.EVENTS, name: c.name, handle: (job) => c.handle(job.data.events) }));
}
