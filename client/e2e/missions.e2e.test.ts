import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, newUser, pageErrors, shot, signUp, uniqueUser } from './browser';
import { startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('missions', () => {
  it('an admin creates a location mission, a user completes it, and the admin sees the slots fall live', async () => {
    const admin = await newUser(browser, stack.baseUrl);
    const walker = await newUser(browser, stack.baseUrl, { phone: true, latitude: 37.5665, longitude: 126.978 });
    await signUp(admin.page, { email: 'admin@e2e.test', password: 'correct-horse-battery', nickname: 'admin_e2e' });
    await signUp(walker.page, uniqueUser('walk'));

    await admin.page.goto('/missions/new');
    await admin.page.getByLabel('제목').fill('시청 앞 광장 걷기');
    await admin.page.getByLabel('설명').fill('서울시청 앞 광장에 가서 위치를 인증하세요.');
    await admin.page.getByLabel('정원 (비우면 무제한)').fill('3');
    await admin.page.getByRole('button', { name: '미션 만들기' }).click();
    await admin.page.getByRole('status').getByRole('link').click();
    await expect.poll(() => admin.page.getByTestId('remaining').textContent()).toContain('남은 자리 3');
    const missionUrl = admin.page.url();

    await walker.page.goto('/missions');
    await walker.page.getByRole('link', { name: '시청 앞 광장 걷기' }).click();
    await walker.page.getByRole('button', { name: '미션 시작' }).click();
    await walker.page.getByRole('button', { name: '현재 위치 가져오기' }).click();
    await walker.page.getByText('위치 확인됨').waitFor();
    await shot(walker.page, '40-mission-proof-phone');
    await walker.page.getByRole('button', { name: '인증 제출' }).click();
    await walker.page.locator('[data-testid="my-submission"][data-status="APPROVED"]').waitFor();
    await shot(walker.page, '41-mission-approved-phone');

    // The admin's open page updates without a reload (missionUpdated).
    expect(admin.page.url()).toBe(missionUrl);
    await expect.poll(() => admin.page.getByTestId('remaining').textContent()).toContain('남은 자리 2');
    await shot(admin.page, '42-mission-admin-live');

    await walker.page.goto('/missions');
    await expect.poll(() => walker.page.getByTestId('leaderboard').textContent()).toContain('100점');
    expect([...pageErrors(admin.page), ...pageErrors(walker.page)]).toEqual([]);
    await admin.context.close();
    await walker.context.close();
  });
});
