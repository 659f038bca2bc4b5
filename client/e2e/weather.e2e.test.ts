import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newUser, pageErrors, shot, signUp, uniqueUser } from './browser';
import { useStackAndBrowser } from './harness';
import { kmaWarning } from './stubs';

const e2e = useStackAndBrowser();

async function tokenOf(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('ww.session') ?? '{}').accessToken as string);
}

describe('weather warnings', () => {
  it('a warning from KMA opens a Seoul room; two users chat live; the tile turns red', async () => {
    const admin = await newUser(e2e.browser, e2e.stack.baseUrl);
    const other = await newUser(e2e.browser, e2e.stack.baseUrl, { phone: true });
    await signUp(admin.page, { email: 'admin@e2e.test', password: 'correct-horse-battery', nickname: 'wx_admin' });
    await signUp(other.page, uniqueUser('rainy'));

    // KMA (stub) now reports a heat-wave warning for Seoul; an admin runs one poll through the worker.
    e2e.stack.stubs.state.kmaWarnings = [kmaWarning({ areaCode: 'L1100200', areaName: '서울동북권', warnVar: 12, warnStress: 1 })];
    const res = await fetch(`${e2e.stack.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(admin.page)}` },
      body: JSON.stringify({ query: 'mutation { pollWeatherAlertsNow { alertsNew roomsOpened } }' }),
    });
    expect((await res.json()).data.pollWeatherAlertsNow.roomsOpened).toBeGreaterThanOrEqual(1);

    for (const p of [admin.page, other.page]) {
      await p.goto('/weather');
      await expect.poll(() => p.locator('[data-province="SEOUL"]').getAttribute('data-level')).toBe('WARNING');
    }
    await shot(admin.page, '50-weather-tiles');
    await admin.page.getByRole('link', { name: /서울/ }).first().click();
    await other.page.getByRole('link', { name: /서울/ }).first().click();
    await admin.page.getByRole('note').waitFor(); // pinned alert card

    await admin.page.getByLabel('메시지 입력').fill('폭염 조심하세요!');
    await admin.page.getByRole('button', { name: '보내기' }).click();
    await other.page.getByTestId('messages').getByText('폭염 조심하세요!').waitFor();
    await other.page.getByLabel('메시지 입력').fill('물 많이 드세요');
    await other.page.getByRole('button', { name: '보내기' }).click();
    await admin.page.getByTestId('messages').getByText('물 많이 드세요').waitFor();
    await shot(other.page, '51-chat-room-phone');
    expect([...pageErrors(admin.page), ...pageErrors(other.page)]).toEqual([]);
    await admin.context.close();
    await other.context.close();
  });
});
