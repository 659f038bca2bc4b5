import { UsageService } from './usage.service';

describe('quota day', () => {
  const usage = new UsageService({ orm: {} as any, redis: {} as any, config: { LLM_DAILY_JOB_LIMIT: 10 } as any });
  it('resets at the next midnight in Korea (15:00 UTC)', () => {
    expect(usage.resetsAt(Date.parse('2026-11-26T14:59:59Z')).toISOString()).toBe('2026-11-26T15:00:00.000Z');
    expect(usage.resetsAt(Date.parse('2026-11-26T15:00:00Z')).toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(usage.resetsAt(Date.parse('2026-11-26T18:00:00Z')).toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });
});
