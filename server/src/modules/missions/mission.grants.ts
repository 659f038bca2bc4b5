/** One grant for the `mission_grant` procedure. */
export interface GrantRequest {
  user: number;
  checkWindow: boolean;
  now: Date;
  reason: string | null;
  reviewer: number | null;
}

export interface GrantOutcome {
  outcome: 'GRANTED' | 'FULL' | 'CLOSED' | 'MISSING' | 'DUPLICATE';
  /** The user's points after the grant. */
  points: number | null;
  /** The approved submission row (GRANTED only). */
  submission: Record<string, unknown> | null;
}

type RunBatch = (missionId: number, grants: GrantRequest[]) => Promise<GrantOutcome[]>;

interface Waiting {
  request: GrantRequest;
  resolve: (outcome: GrantOutcome) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 100;

/**
 * Group commit for the hot mission row: while a call for a mission is in flight, later grants of that mission wait
 * and go together in the next call. A lone grant goes at once; in a rush a hundred winners need a handful of round
 * trips instead of a hundred pool checkouts, each of which waited behind a saturated event loop.
 */
export class GrantBatcher {
  private readonly queues = new Map<number, Waiting[]>();

  constructor(private readonly run: RunBatch) {}

  grant(missionId: number, request: GrantRequest): Promise<GrantOutcome> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(missionId);
      if (queue) {
        queue.push({ request, resolve, reject });
        return;
      }
      const fresh: Waiting[] = [{ request, resolve, reject }];
      this.queues.set(missionId, fresh);
      void this.drain(missionId, fresh);
    });
  }

  private async drain(missionId: number, queue: Waiting[]): Promise<void> {
    while (queue.length) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await this.run(
          missionId,
          batch.map((w) => w.request),
        );
        batch.forEach((w, i) => w.resolve(outcomes[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.queues.delete(missionId);
  }
}

/** The procedure's `now` parameter: DATETIME(3) text in UTC, the connection's time zone. */
export const sqlDateTime = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 23);
