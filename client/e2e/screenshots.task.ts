// `npm run screenshots`: every screen at 390×844 and 1280×800, in Korean and English, into client/screenshots/
// (git-ignored), against the real stack with seeded data.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser';
import { contextFor, open, screens, seed, SIZES, type Seed } from './screens';
import { startStack, type Stack } from './stack';

const OUT = resolve(import.meta.dirname, '../screenshots');
let stack: Stack;
let browser: Browser;
let data: Seed;

beforeAll(async () => {
  stack = await startStack();
  browser = await launch();
  data = await seed(stack);
  mkdirSync(OUT, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('writes every screen at both sizes in both languages', async () => {
  let written = 0;
  for (const lang of ['ko', 'en'] as const) {
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
      for (const who of ['alice', 'admin', null] as const) {
        const context = await contextFor(browser, stack, data, who, lang, size);
        const page = await context.newPage();
        for (const screen of screens(data).filter((s) => s.as === who)) {
          await open(page, screen.path);
          await page.screenshot({ path: join(OUT, `${lang}-${size}-${screen.name}.png`), fullPage: true });
          written++;
        }
        if (who === 'alice') {
          // The compose sheet, open.
          await open(page, '/');
          await page.locator('.fab').click();
          await page.locator('dialog.sheet[open]').waitFor();
          await page.screenshot({ path: join(OUT, `${lang}-${size}-compose.png`) });
          written++;
        }
        await context.close();
      }
    }
  }
  console.log(`${written} screenshots in ${OUT}`);
  expect(written).toBe(2 * 2 * (screens(data).length + 1));
}, 900_000);
