import type { PubSub } from '../graphql/pubsub.js';
import type { Logger } from '../logger.js';
import { OUTBOX_WAKE_TOPIC } from './delivery.js';
import type { OutboxRelay } from './relay.js';

/**
 * After a commit that recorded events: tells the relays (in the workers) over pub/sub, at most once per event-loop
 * turn, and never waits for Redis. A lost wake-up only delays delivery until the relays' next timed sweep.
 */
export function wakeRelays(pubsub: PubSub, logger: Logger): () => Promise<void> {
  let pending = false;
  return async () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      pubsub.publish(OUTBOX_WAKE_TOPIC, { at: Date.now() }).catch((err: unknown) => logger.debug({ err }, 'outbox wake-up not sent'));
    });
  };
}

/** Sweeps whenever another process says it committed events; returns a function that stops listening. */
export function sweepOnWake(pubsub: PubSub, relay: OutboxRelay, logger: Logger): () => Promise<void> {
  const iterator = pubsub.subscribe(OUTBOX_WAKE_TOPIC)[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) void relay.sweep();
  })().catch((err: unknown) => logger.warn({ err }, 'outbox wake-ups stopped; the timed sweep goes on'));
  return async () => {
    await iterator.return?.();
  };
}
