import type { Infra } from '../../app/infra.js';
import { VoteTopic, type VoteCountsPayload } from './vote.topics.js';

/** At most one voteCountsChanged event per target per window (per API process). */
export const VOTE_EVENT_WINDOW_MS = 100;

type CountsNow = (type: string, id: number) => Promise<{ likeCount: number; dislikeCount: number; version: number }>;

/**
 * Coalesces voteCountsChanged events: the first change of a target publishes at once and opens a window; changes
 * inside the window publish once when it ends, with the counts read then (so the last event carries the final
 * counts). Publishes of one target run one after another, each reading the counts when it runs: events never go back.
 */
export class VoteCountEvents {
  private readonly windows = new Map<string, { dirty: boolean; timer: NodeJS.Timeout }>();
  private readonly publishing = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly infra: Pick<Infra, 'pubsub' | 'logger'>,
    private readonly countsNow: CountsNow,
  ) {}

  changed(type: string, id: number): void {
    if (this.closed) return;
    const key = `${type}:${id}`;
    const open = this.windows.get(key);
    if (open) {
      open.dirty = true;
      return;
    }
    void this.publish(type, id);
    const tick = () => {
      const w = this.windows.get(key);
      if (!w) return;
      if (w.dirty && !this.closed) {
        w.dirty = false;
        void this.publish(type, id);
        w.timer = setTimeout(tick, VOTE_EVENT_WINDOW_MS);
      } else {
        this.windows.delete(key);
      }
    };
    this.windows.set(key, { dirty: false, timer: setTimeout(tick, VOTE_EVENT_WINDOW_MS) });
  }

  /** Stops pending coalesced events (process shutdown). */
  close(): void {
    this.closed = true;
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }

  private publish(type: string, id: number): Promise<void> {
    const key = `${type}:${id}`;
    const next = (this.publishing.get(key) ?? Promise.resolve()).then(() => this.publishNow(type, id));
    this.publishing.set(key, next);
    void next.then(() => {
      if (this.publishing.get(key) === next) this.publishing.delete(key);
    });
    return next;
  }

  private async publishNow(type: string, id: number): Promise<void> {
    try {
      const payload: VoteCountsPayload = { type, id, ...(await this.countsNow(type, id)) };
      await this.infra.pubsub.publish(VoteTopic.COUNTS_CHANGED, `${type}:${id}`, payload);
    } catch (err) {
      if (!this.closed) this.infra.logger.warn({ err, type, id }, 'voteCountsChanged publish failed');
    }
  }
}
