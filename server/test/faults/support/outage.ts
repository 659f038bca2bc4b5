import type { Outcome } from './http';
import type { Op } from './load';

export interface OutageFigures {
  /** Longest request that was running while the dependency was down (ms). */
  longestMs: number;
  /** From the dependency answering again until requests succeed again (ms); null when they never did. */
  recoveryMs: number | null;
  /** From the kill until `/readyz` first answered 503 (ms); null when it never did. */
  readyFlipMs: number | null;
  /** Slowest `/readyz` answer while the dependency was down (ms). */
  readySlowestMs: number;
  /** Requests that started during the outage and failed. */
  failed: number;
  /** Of those, the ones not answered HTTP 503 SERVICE_UNAVAILABLE with Retry-After (a 200 INTERNAL_SERVER_ERROR, a hang...). */
  badlyFailed: number;
  /** How the failures were answered, e.g. `{"200 INTERNAL_SERVER_ERROR": 12, "503 SERVICE_UNAVAILABLE": 3}`. */
  failureKinds: Record<string, number>;
}

const properlyUnavailable = (op: Op) => op.status === 503 && op.code === 'SERVICE_UNAVAILABLE' && !!op.headers?.['retry-after'];

export function describeFailure(op: Op): string {
  return op.error ? op.error : `${op.status} ${op.code ?? 'no code'}`;
}

/**
 * Figures of one outage window [downAt, upAt]: `ops` are the writes (load and probes), `ready` the `/readyz` probes.
 * Recovery ends once every request started after `upAt` succeeds and at least one has.
 */
export function outageFigures(ops: Op[], ready: Outcome[], downAt: number, upAt: number): OutageFigures {
  const during = ops.filter((o) => o.start < upAt && o.end > downAt);
  const after = ops.filter((o) => o.start >= upAt);
  const failures = after.filter((o) => !o.ok);
  const successes = after.filter((o) => o.ok);
  const lastFailureEnd = Math.max(upAt, ...failures.map((o) => o.end));
  const lastFailureStart = Math.max(-Infinity, ...failures.map((o) => o.start));
  const firstSuccessEnd = Math.min(...successes.map((o) => o.end));
  const recovered = successes.some((o) => o.start > lastFailureStart);
  const failedDuring = ops.filter((o) => o.start >= downAt && o.start < upAt && !o.ok);
  const failureKinds: Record<string, number> = {};
  for (const op of failedDuring) failureKinds[describeFailure(op)] = (failureKinds[describeFailure(op)] ?? 0) + 1;
  const readyDuring = ready.filter((r) => r.start >= downAt && r.start < upAt);
  const flip = ready.filter((r) => r.start >= downAt && r.status === 503).sort((a, b) => a.end - b.end)[0];
  return {
    longestMs: Math.max(0, ...during.map((o) => o.ms)),
    recoveryMs: recovered ? Math.max(lastFailureEnd, firstSuccessEnd) - upAt : null,
    readyFlipMs: flip ? flip.end - downAt : null,
    readySlowestMs: Math.max(0, ...readyDuring.map((r) => r.ms)),
    failed: failedDuring.length,
    badlyFailed: failedDuring.filter((o) => !properlyUnavailable(o)).length,
    failureKinds,
  };
}
