import { Writable } from 'node:stream';
import { pino } from 'pino';
import { DependencyMonitor } from './monitor';

function capturingLogger() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('DependencyMonitor', () => {
  it('flips on the first failed probe and back on the first good one, logging one warn line per transition', async () => {
    const { logger, lines } = capturingLogger();
    let redisUp = true;
    let redisChecks = 0;
    const monitor = new DependencyMonitor(
      {
        mysql: { check: async () => undefined },
        redis: {
          check: async () => {
            redisChecks++;
            if (!redisUp) throw new Error('Connection is closed.');
          },
        },
      },
      logger,
      { intervalMs: 10, timeoutMs: 50 },
    );
    monitor.start();
    expect(monitor.ready).toBe(true);
    redisUp = false;
    await until(() => !monitor.ready);
    expect([monitor.isUp('mysql'), monitor.isUp('redis')]).toEqual([true, false]);
    const checksWhileDown = redisChecks;
    await until(() => redisChecks > checksWhileDown + 5);
    redisUp = true;
    await until(() => monitor.ready);
    await monitor.stop();

    const warnings = lines.filter((l) => l.level === 40).map((l) => [l.dependency, l.state]);
    expect(warnings).toEqual([
      ['redis', 'down'],
      ['redis', 'up'],
    ]);
    expect(lines.find((l) => l.state === 'down')!.reason).toBe('Connection is closed.');
  });

  it('counts a probe that does not answer within the timeout as down', async () => {
    const { logger } = capturingLogger();
    let hang = false;
    const monitor = new DependencyMonitor(
      { mysql: { check: () => (hang ? new Promise(() => undefined) : Promise.resolve()) }, redis: { check: async () => undefined } },
      logger,
      { intervalMs: 10, timeoutMs: 30 },
    );
    monitor.start();
    hang = true;
    await until(() => !monitor.isUp('mysql'));
    await monitor.stop();
  });

  it('probes at once when a request reports a failure instead of waiting for the next tick', async () => {
    const { logger } = capturingLogger();
    let checks = 0;
    const monitor = new DependencyMonitor(
      {
        mysql: {
          check: async () => {
            checks++;
          },
        },
        redis: { check: async () => undefined },
      },
      logger,
      { intervalMs: 60_000, timeoutMs: 50 },
    );
    monitor.start();
    await until(() => checks === 1);
    await new Promise((r) => setTimeout(r, 10)); // the first probe has recorded its answer
    monitor.suspect('mysql');
    await until(() => checks === 2);
    await new Promise((r) => setTimeout(r, 10));
    monitor.suspect('unknown');
    await until(() => checks === 3);
    await monitor.stop();
  });

  it('closes what its probes hold when stopped', async () => {
    const { logger } = capturingLogger();
    const closed: string[] = [];
    const probe = (name: string) => ({ check: async () => undefined, close: async () => void closed.push(name) });
    const monitor = new DependencyMonitor({ mysql: probe('mysql'), redis: probe('redis') }, logger, { intervalMs: 10, timeoutMs: 10 });
    monitor.start();
    await monitor.stop();
    expect(closed.sort()).toEqual(['mysql', 'redis']);
  });
});
