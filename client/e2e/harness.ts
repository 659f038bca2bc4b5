import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser';
import { startStack, type Stack } from './stack';

/** Starts the whole stack and Chromium before a test file's tests, and stops both after them. */
export function useStackAndBrowser(): { stack: Stack; browser: Browser } {
  const e2e = {} as { stack: Stack; browser: Browser };
  beforeAll(async () => {
    e2e.stack = await startStack();
    e2e.browser = await launch();
  });
  afterAll(async () => {
    await e2e.browser?.close();
    await e2e.stack?.stop();
  });
  return e2e;
}
