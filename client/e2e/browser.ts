import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = resolve(import.meta.dirname, 'screenshots');

export async function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** A browser profile of its own (storage, cookies) at a place near Seoul City Hall. */
export async function newUser(
  browser: Browser,
  baseURL: string,
  opts: { phone?: boolean; latitude?: number; longitude?: number } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    locale: 'ko-KR',
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    geolocation: { latitude: opts.latitude ?? 37.5663, longitude: opts.longitude ?? 126.9779 },
    permissions: ['geolocation'],
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  (page as Page & { problems?: string[] }).problems = problems;
  return { context, page };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

let counter = 0;
export function uniqueUser(prefix: string) {
  counter++;
  const tag = `${Date.now().toString(36).slice(-4)}${counter}`;
  return { email: `${prefix}${tag}@e2e.test`, password: 'correct-horse-battery', nickname: `${prefix}${tag}` };
}

export async function signUp(page: Page, user: { email: string; password: string; nickname: string }): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('이메일').fill(user.email);
  await page.getByLabel('비밀번호').fill(user.password);
  await page.getByLabel('닉네임').fill(user.nickname);
  await page.getByRole('button', { name: '회원가입' }).click();
  await page.getByTestId('me').filter({ hasText: user.nickname }).waitFor();
}

/** Uncaught exceptions the page threw (a blank screen's usual cause). */
export function pageErrors(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}
