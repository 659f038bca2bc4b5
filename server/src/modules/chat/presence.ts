import type { Infra } from '../../app/infra.js';
import { ChatTopic, type RoomPresencePayload } from './chat.topics.js';
import type { PresenceStore } from './presence.store.js';

/** How often this instance rewrites its counts (the fields expire after three times this). */
const REFRESH_MS = 3_000;
/** Joins and leaves of a burst (a warning opening a room for thousands) reach Redis at most this often per room. */
const FLUSH_MS = 250;

/**
 * Who is in each room now: this instance counts its own subscribers per room and writes the counts to Redis, where
 * they add up across instances; a change of the total is published on roomPresenceChanged. Approximate by design:
 * bursts are coalesced and a dead instance's subscribers stop counting when its fields expire.
 */
export class RoomPresence {
  private readonly local = new Map<number, number>();
  private readonly dirty = new Set<number>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly refreshTimer: NodeJS.Timeout;

  constructor(
    private readonly infra: Pick<Infra, 'pubsub' | 'logger' | 'instanceId'>,
    private readonly store: PresenceStore,
  ) {
    this.refreshTimer = setInterval(() => {
      for (const roomId of this.local.keys()) this.dirty.add(roomId);
      void this.flush();
    }, REFRESH_MS);
    this.refreshTimer.unref();
  }

  joined(roomId: number): void {
    this.local.set(roomId, (this.local.get(roomId) ?? 0) + 1);
    this.changed(roomId);
  }

  left(roomId: number): void {
    const n = (this.local.get(roomId) ?? 1) - 1;
    if (n > 0) this.local.set(roomId, n);
    else this.local.delete(roomId);
    this.changed(roomId);
  }

  total(roomId: number): Promise<number> {
    return this.store.total(roomId);
  }

  /** The last published count, for a new subscriber (its version drops older events still in flight). */
  async current(roomId: number): Promise<RoomPresencePayload> {
    const { total, version } = await this.store.published(roomId);
    return { roomId, presentCount: total, version };
  }

  /** Stops counting; this instance's people leave the totals at once rather than when its fields expire. */
  async close(): Promise<void> {
    clearInterval(this.refreshTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const roomId of this.local.keys()) this.dirty.add(roomId);
    this.local.clear();
    await this.flush();
  }

  private changed(roomId: number): void {
    this.dirty.add(roomId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, FLUSH_MS);
  }

  private async flush(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    for (const roomId of rooms) {
      try {
        const { total, changed, version } = await this.store.update(
          roomId,
          this.infra.instanceId,
          this.local.get(roomId) ?? 0,
          3 * REFRESH_MS,
        );
        const payload: RoomPresencePayload = { roomId, presentCount: total, version };
        if (changed) await this.infra.pubsub.publish(ChatTopic.PRESENCE_CHANGED, roomId, payload);
      } catch (err) {
        this.infra.logger.debug({ err, roomId }, 'presence not updated');
      }
    }
  }
}
