import { describe, expect, it } from 'vitest';
import { newUser, pageErrors, shot, signUp, uniqueUser } from './browser';
import { useStackAndBrowser } from './harness';

const e2e = useStackAndBrowser();

describe('missions', () => {
  it('an admin creates a location mission, a user completes it, and the admin sees the slots fall live', async () => {
    const admin = await newUser(e2e.browser, e2e.stack.baseUrl);
    const walker = await newUser(e2e.browser, e2e.stack.baseUrl, { phone: true, latitude: 37.5665, longitude: 126.978 });
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
    await shot(walker.page, '40-mission-proof-phone');
    // One tap: locate, start, submit.
    await walker.page.getByRole('button', { name: '위치 확인하고 인증' }).click();
    await walker.page.locator('[data-testid="my-submission"][data-status="APPROVED"]').waitFor();
    await walker.page.goto('/missions');
    await walker.page.locator('.mission-card.done', { hasText: '시청 앞 광장 걷기' }).waitFor();
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
  it('a photo proof waits for review; the admin sees the photo and approves it', async () => {
    const admin = await newUser(e2e.browser, e2e.stack.baseUrl);
    const snapper = await newUser(e2e.browser, e2e.stack.baseUrl, { phone: true });
    await admin.page.goto('/login');
    await admin.page.getByLabel('이메일').fill('admin@e2e.test');
    await admin.page.getByLabel('비밀번호').fill('correct-horse-battery');
    await admin.page.getByRole('button', { name: '로그인', exact: true }).click();
    await admin.page.getByTestId('me').waitFor();
    await signUp(snapper.page, uniqueUser('snap'));

    await admin.page.goto('/missions/new');
    await admin.page.getByLabel('제목').fill('하늘 사진 찍기');
    await admin.page.getByLabel('인증 방식').selectOption('PHOTO');
    await admin.page.getByRole('button', { name: '미션 만들기' }).click();
    await admin.page.getByRole('status').getByRole('link').waitFor();

    // A real, decodable PNG: a corner of the page itself.
    const png = await snapper.page.screenshot({ clip: { x: 0, y: 0, width: 120, height: 80 } });
    await snapper.page.goto('/missions');
    await snapper.page.getByRole('link', { name: '하늘 사진 찍기' }).click();
    await snapper.page.getByLabel('사진').setInputFiles({ name: 'sky.png', mimeType: 'image/png', buffer: png });
    await snapper.page.getByRole('img', { name: '미리보기' }).waitFor();
    await shot(snapper.page, '43-mission-photo-preview-phone');
    await snapper.page.getByRole('button', { name: '인증 제출' }).click();
    await snapper.page.locator('[data-testid="my-submission"][data-status="PENDING_REVIEW"]').waitFor();

    await admin.page.goto('/missions/review');
    const item = admin.page.locator('li.review-item', { hasText: '하늘 사진 찍기' });
    await item.locator('img').waitFor();
    expect(await item.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(120);
    await shot(admin.page, '44-mission-review');
    await item.getByRole('button', { name: '승인' }).click();
    await admin.page.getByText('검토할 인증이 없어요.').waitFor();

    await snapper.page.reload();
    await snapper.page.locator('[data-testid="my-submission"][data-status="APPROVED"]').waitFor();
    expect([...pageErrors(admin.page), ...pageErrors(snapper.page)]).toEqual([]);
    await admin.context.close();
    await snapper.context.close();
  });
});
