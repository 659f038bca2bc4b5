import type { Infra } from '../../app/infra.js';
import { VoteTopic, type VoteCountsPayload } from './vote.topics.js';

/** At most one voteCountsChanged event per target per window, across every API instance. */
export const VOTE_EVENT_WINDOW_MS = 250;

type CountsNow = (type: string, id: number) => Promise<{ likeCount: number; dislikeCount: number; version: number }>;

/**
 * Coalesces voteCountsChanged events across instances: a target's window is a short Redis lease (SET NX PX). The
 * instance that takes it publishes at once; changes on any instance while it is held publish once when it ends (the
 * instance retries for the lease then), with the counts read at that moment, so the last event carries the final
 * counts and a hot target sends a few events a second however many instances serve it. Publishes of one target run one
 * after another, each reading the counts when it runs: events never go back.
 */
export class VoteCountEvents {
  private readonly windows = new Map<string, { dirty: boolean; timer: NodeJS.Timeout }>();
  private readonly publishing = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly infra: Pick<Infra, 'pubsub' | 'logger'>,
    private readonly countsNow: CountsNow,
    /** Takes the target's window for this instance; false while another holds it (resolves its remaining ms). */
    private readonly takeWindow: (key: string, ms: number) => Promise<number>,
  ) {}

  changed(type: string, id: number): void {
    if (this.closed) return;
    const key = `${type}:${id}`;
    const open = this.windows.get(key);
    if (open) {
      open.dirty = true;
      return;
    }
    const w = { dirty: true, timer: setTimeout(() => undefined, 0) };
    this.windows.set(key, w);
    const attempt = async () => {
      if (this.closed) return;
      if (!w.dirty) {
        this.windows.delete(key);
        return;
      }
      let waitMs: number;
      try {
        waitMs = await this.takeWindow(key, VOTE_EVENT_WINDOW_MS);
      } catch {
        waitMs = 0; // Redis away: publish anyway (coalescing is an optimisation)
      }
      if (waitMs <= 0) {
        w.dirty = false;
        void this.publish(type, id);
        waitMs = VOTE_EVENT_WINDOW_MS;
      }
      w.timer = setTimeout(() => void attempt(), waitMs);
    };
    void attempt();
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
