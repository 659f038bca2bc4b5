// Every screen, as the person who sees it, on a phone and a desktop: axe-core finds no serious or critical
// violation, and a Korean screen never shows a sentence the server wrote (every error and field message the API sent
// during the run is collected and looked for in the page's text).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser';
import { contextFor, open, screens, seed, type Seed } from './screens';
import { startStack, type Stack } from './stack';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

let stack: Stack;
let browser: Browser;
let data: Seed;

beforeAll(async () => {
  stack = await startStack();
  browser = await launch();
  data = await seed(stack);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

async function axe(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: any[] }> } };
    const { violations } = await w.axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')) }));
  });
}

/** The server's own sentences seen on the wire: GraphQL error messages and field messages. */
function recordServerSentences(page: Page, into: Set<string>) {
  page.on('response', async (res) => {
    if (!res.url().endsWith('/graphql') || res.request().method() !== 'POST') return;
    const body = await res.json().catch(() => null);
    for (const e of (body?.errors ?? []) as { message?: string; extensions?: { fields?: Record<string, string[]> } }[]) {
      if (e.message) into.add(e.message);
      for (const list of Object.values(e.extensions?.fields ?? {})) for (const m of list) into.add(m);
    }
  });
}

describe('every screen', () => {
  for (const size of ['phone', 'desktop'] as const) {
    it(`has no serious or critical axe violation (${size}, ko and en)`, async () => {
      const found: string[] = [];
      for (const lang of ['ko', 'en'] as const) {
        for (const who of ['alice', 'admin', null] as const) {
          const context = await contextFor(browser, stack, data, who, lang, size);
          const page = await context.newPage();
          for (const screen of screens(data).filter((s) => s.as === who)) {
            await open(page, screen.path);
            for (const v of await axe(page)) found.push(`${lang} ${screen.name}: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.join(' | ')}`);
          }
          if (who === 'alice') {
            await open(page, '/');
            await page.locator('.fab').click();
            await page.locator('dialog.sheet[open]').waitFor();
            for (const v of await axe(page)) found.push(`${lang} compose: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.join(' | ')}`);
          }
          await context.close();
        }
      }
      expect(found).toEqual([]);
    }, 600_000);
  }
});

describe('Korean screens', () => {
  it('never show a sentence the server wrote, even when things go wrong', async () => {
    const sentences = new Set<string>();
    const shown: string[] = [];
    const look = async (page: Page, where: string) => {
      const text = await page.locator('body').innerText();
      for (const s of sentences) if (text.includes(s)) shown.push(`${where}: ${s}`);
    };
    const anonymous = await contextFor(browser, stack, data, null, 'ko', 'phone');
    const page = await anonymous.newPage();
    recordServerSentences(page, sentences);
    for (const screen of screens(data).filter((s) => s.as === null)) {
      await open(page, screen.path);
      await look(page, screen.name);
    }
    // Refusals the server words in English: a taken email, a wrong password, an unknown post.
    await open(page, '/signup');
    await page.getByLabel('이메일').fill(data.alice.email);
    await page.getByLabel('비밀번호').fill('another-password-1');
    await page.getByLabel('닉네임').fill('새얼굴');
    await page.getByRole('button', { name: '회원가입' }).click();
    await page.getByRole('alert').filter({ hasText: '이미 가입된 이메일' }).waitFor();
    await look(page, 'signup conflict');
    await open(page, '/login');
    await page.getByLabel('이메일').fill(data.alice.email);
    await page.getByLabel('비밀번호').fill('wrong-password-1');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await look(page, 'login refused');
    await page.goto('/posts/UG9zdDo5OTk5OTk5');
    await page.getByText('글을 찾을 수 없어요').or(page.getByRole('alert')).first().waitFor();
    await look(page, 'missing post');
    await anonymous.close();

    const signedIn = await contextFor(browser, stack, data, 'alice', 'ko', 'phone');
    const p2 = await signedIn.newPage();
    recordServerSentences(p2, sentences);
    for (const screen of screens(data).filter((s) => s.as === 'alice')) {
      await open(p2, screen.path);
      await look(p2, screen.name);
    }
    // A mission she already completed, and a GitHub account that does not exist.
    await open(p2, '/resumes');
    await p2.getByLabel('GitHub 아이디').fill('no-such-user-404');
    await p2.getByLabel('지원 직무').fill('개발자');
    await p2.getByRole('button', { name: '만들기', exact: true }).click();
    await p2.locator('[data-testid="job-progress"][data-status="FAILED"]').waitFor({ timeout: 30_000 });
    await look(p2, 'résumé job failed');
    await signedIn.close();
    expect(sentences.size).toBeGreaterThan(0);
    expect(shown).toEqual([]);
  }, 300_000);
});
