import { describe, expect, it } from 'vitest';
import { newUser, pageErrors, shot, signUp, uniqueUser } from './browser';
import { useStackAndBrowser } from './harness';

const e2e = useStackAndBrowser();

describe('near me', () => {
  it('two neighbours post; one likes and the other sees the count change without reloading', async () => {
    // About 300 m apart around Seoul City Hall.
    const a = await newUser(e2e.browser, e2e.stack.baseUrl, { latitude: 37.5663, longitude: 126.9779 });
    const b = await newUser(e2e.browser, e2e.stack.baseUrl, { phone: true, latitude: 37.5689, longitude: 126.9768 });
    const ua = uniqueUser('sun');
    const ub = uniqueUser('cloud');
    await signUp(a.page, ua);
    await signUp(b.page, ub);

    for (const [who, title] of [
      [a, '시청 앞 소나기'],
      [b, '덕수궁 돌담길 맑음'],
    ] as const) {
      await who.page.goto('/near');
      await who.page.getByRole('button', { name: '글쓰기' }).click();
      await who.page.getByLabel('제목').fill(title);
      await who.page.getByLabel('내용').fill(`${title} — 우산 챙기세요.`);
      await who.page.getByRole('button', { name: '올리기' }).click();
      await who.page.getByTestId('post').filter({ hasText: title }).waitFor();
    }

    // A sees B's post (and B sees A's) with a distance.
    await a.page.reload();
    const bPostOnA = a.page.getByTestId('post').filter({ hasText: '덕수궁 돌담길 맑음' });
    await bPostOnA.waitFor();
    expect(await bPostOnA.textContent()).toMatch(/\d+\.\dkm/);
    await b.page.reload();
    const bPostOnB = b.page.getByTestId('post').filter({ hasText: '덕수궁 돌담길 맑음' });
    await bPostOnB.waitFor();
    expect(await bPostOnB.getByTestId('like-count').textContent()).toBe('0');

    // A likes B's post; B's open page follows.
    await bPostOnA.getByRole('button', { name: /좋아요/ }).click();
    await expect.poll(() => bPostOnA.getByTestId('like-count').textContent()).toBe('1');
    await expect.poll(() => bPostOnB.getByTestId('like-count').textContent()).toBe('1');
    await shot(a.page, '20-near-liked');
    await shot(b.page, '21-near-live-count-phone');

    // A changes its mind: dislike; B sees both counts move.
    await bPostOnA.getByRole('button', { name: /싫어요/ }).click();
    await expect.poll(() => bPostOnB.getByTestId('like-count').textContent()).toBe('0');
    await expect.poll(() => bPostOnB.getByTestId('dislike-count').textContent()).toBe('1');

    // The card opens the post on its own page (a shareable URL); A keeps it open while B comments there.
    await bPostOnA.getByRole('link', { name: /덕수궁 돌담길 맑음/ }).click();
    await a.page.waitForURL(/\/posts\//);
    await a.page.getByRole('heading', { name: '댓글 0' }).waitFor();
    await b.page.goto(a.page.url());
    await b.page.getByLabel('댓글').fill('저도 봤어요!');
    await b.page.getByRole('button', { name: '댓글 달기' }).click();
    await b.page.getByText('저도 봤어요!').waitFor();
    await b.page.getByRole('heading', { name: '댓글 1' }).waitFor();
    // Others' comments and the count reach A's open page without a reload (polled: no comment subscription yet).
    await a.page.getByText('저도 봤어요!').waitFor();
    await a.page.getByRole('heading', { name: '댓글 1' }).waitFor();
    await shot(a.page, '22-post-live-comment');

    // B was told about A's like: a sentence with the post's title and the right particle, linking to the post;
    // opening the list clears the bell.
    await b.page.goto('/notifications');
    const liked = b.page.getByTestId('notification').filter({ hasText: `${ua.nickname}님이 ‘덕수궁 돌담길 맑음’을 좋아해요.` });
    // The worker writes it a moment after the like: reload until it is listed (each reload waits for the list to load).
    await expect
      .poll(
        async () => {
          if ((await liked.count()) === 0) {
            await b.page.reload();
            await liked.first().waitFor({ timeout: 2_000 }).catch(() => undefined);
          }
          return liked.count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    await expect.poll(() => b.page.getByTestId('bell').locator('.badge').count()).toBe(0);
    await liked.getByRole('link').click();
    await b.page.getByRole('heading', { name: '덕수궁 돌담길 맑음' }).waitFor();
    expect([...pageErrors(a.page), ...pageErrors(b.page)]).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
