// Lighthouse 12 (pinned: 13 needs Node 22) in its default mobile mode, driving Debian's Chromium through chrome-launcher.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface PageScores {
  name: string;
  url: string;
  scores: Record<Category, number>;
  /** Failing audits of the three categories (id: title), to say why a score is short. */
  failing: string[];
  /** Lighthouse's measure of this machine's speed: simulated mobile timings assume a fast, otherwise idle host. */
  benchmarkIndex: number;
}

export const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function auditPages(pages: { name: string; url: string }[]): Promise<PageScores[]> {
  const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', chromeFlags: CHROME_FLAGS });
  const out: PageScores[] = [];
  try {
    for (const page of pages) {
      const result = await lighthouse(page.url, { port: chrome.port, logLevel: 'error', onlyCategories: [...CATEGORIES] });
      if (!result) throw new Error(`Lighthouse gave no result for ${page.url}`);
      const { lhr } = result;
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)])) as Record<
        Category,
        number
      >;
      const failing = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable')
        .map((a) => `${a.id}: ${a.displayValue ?? a.title}`);
      const lcp = lhr.audits['largest-contentful-paint-element']?.details as
        { items?: { items?: { node?: { snippet?: string } }[] }[] } | undefined;
      const lcpNode = lcp?.items?.[0]?.items?.[0]?.node?.snippet;
      if (lcpNode) failing.push(`LCP element: ${lcpNode}`);
      if (process.env.LH_DETAILS) {
        for (const id of ['bootup-time', 'mainthread-work-breakdown', 'long-tasks']) {
          const items = (lhr.audits[id]?.details as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
          failing.push(
            `${id}: ${items
              .slice(0, 8)
              .map((i) => JSON.stringify(i).slice(0, 160))
              .join('\n    ')}`,
          );
        }
      }
      out.push({ name: page.name, url: page.url, scores, failing, benchmarkIndex: Math.round(lhr.environment.benchmarkIndex) });
    }
  } finally {
    chrome.kill();
  }
  return out;
}

export function scoreTable(rows: PageScores[]): string {
  const head = ['page', ...CATEGORIES];
  const lines = rows.map((r) => [r.name, ...CATEGORIES.map((c) => String(r.scores[c]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [fmt(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

/** Whether the server sends the app's scripts compressed (Content-Encoding) to a browser that accepts it. */
export async function scriptsCompressed(baseUrl: string): Promise<boolean> {
  const html = await (await fetch(`${baseUrl}/`)).text();
  const script = /\/assets\/main-[\w-]+\.js/.exec(html)?.[0];
  if (!script) throw new Error('no entry script in index.html');
  const res = await fetch(`${baseUrl}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
  await res.arrayBuffer();
  return /br|gzip/.test(res.headers.get('content-encoding') ?? '');
}
