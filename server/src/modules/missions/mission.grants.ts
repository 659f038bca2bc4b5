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

/** The procedure's `now` parameter: DATETIME(3) text in UTC, the connection's time zone. */
export const sqlDateTime = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 23);
