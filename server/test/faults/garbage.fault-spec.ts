import { Agent } from 'node:http';
import { Figures } from './support/figures';
import { GqlClient, RESET_ERRORS, send, type Outcome } from './support/http';
import { garbageCases, statusMatches, type GarbageCase } from './support/garbage';
import { startStack, type Stack } from './support/stack';

const figures = new Figures('garbage', {
  serverErrors: { label: '5xx answers to garbage', rule: { eq: 0 } },
  resets: { label: 'garbage requests reset or left unanswered', rule: { eq: 0 } },
  wrongStatus: { label: 'answers with another status than the issue asks (400, 413, 4xx)', rule: { eq: 0 } },
  healthy: { label: 'API answers a normal query afterwards', rule: { eq: true } },
  sent: { label: 'garbage requests sent' },
  answers: { label: 'distinct answers (by category in the note)' },
});

const TOTAL = 2000;
const CONCURRENCY = 16;

describe('2,000 garbage bodies and documents', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('garbage', { workers: 0 });
    const api = stack.apis[0]!;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const cases = garbageCases();
    const results: { c: GarbageCase; o: Outcome; i: number }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TOTAL) {
          const i = next++ % cases.length;
          const c = cases[i]!();
          const o = await send(`${api.url}${c.search ?? ''}`, c.body ?? null, {
            method: c.method ?? 'POST',
            headers: c.headers,
            chunks: c.chunks,
            agent,
            timeoutMs: 15_000,
          });
          results.push({ c, o, i });
        }
      }),
    );
    agent.destroy();

    figures.set('sent', results.length);
    const describe = (o: Outcome) => (o.error ? o.error : String(o.status));
    const serverErrors = results.filter(({ o }) => (o.status ?? 0) >= 500);
    figures.set('serverErrors', serverErrors.length, summary(serverErrors.map(({ c, o }) => `${c.category}: ${describe(o)}`)));
    const resets = results.filter(({ o }) => o.error && (RESET_ERRORS.has(o.error) || o.error === 'TIMEOUT'));
    figures.set('resets', resets.length, summary(resets.map(({ c, o }) => `${c.category}: ${describe(o)}`)));
    const wrong = results.filter(({ c, o }) => !statusMatches(c.expect, o.status));
    figures.set('wrongStatus', wrong.length, summary(wrong.map(({ c, o, i }) => `${c.category} #${i}: ${describe(o)} (want ${c.expect})`)));
    figures.set(
      'answers',
      new Set(results.map(({ o }) => describe(o))).size,
      summary(results.map(({ c, o }) => `${c.category}: ${describe(o)}`)),
    );

    const client = new GqlClient(api.url);
    const after = await client.request('{ __typename }');
    client.close();
    figures.set('healthy', after.ok && api.exit === null);
  }, 240_000);

  afterAll(() => stack?.stop());

  figures.defineTests();
});

/** `{"what": count}` of a list of descriptions, most frequent first; undefined when empty. */
function summary(items: string[]): string | undefined {
  if (!items.length) return undefined;
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ×${n}`)
    .join('; ');
}
