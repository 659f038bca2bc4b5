import { describe, expect, it } from 'vitest';
import { newUser, pageErrors, shot, signUp, uniqueUser } from './browser';
import { useStackAndBrowser } from './harness';

const e2e = useStackAndBrowser();

describe('accounts', () => {
  it('signs up, shows a wrong password in words, logs in again, changes the nickname, switches to English', async () => {
    const { context, page } = await newUser(e2e.browser, e2e.stack.baseUrl, { phone: true });
    const user = uniqueUser('rain');
    await page.goto('/status');
    await expect.poll(() => page.getByTestId('server-status').textContent()).toContain('MySQL');
    await shot(page, '01-home-phone');
    // Keyboard: the first Tab reaches the skip link, Enter moves to the content; links work with Enter.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('본문으로 건너뛰기');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.getByRole('link', { name: '로그인' }).first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '로그인' }).waitFor();
    await page.getByRole('link', { name: '회원가입' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '회원가입' }).waitFor();

    await signUp(page, user);
    await shot(page, '02-signed-up-phone');

    // A duplicate sign-up is refused with a sentence, not a blank screen.
    await page.goto('/profile');
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.getByRole('link', { name: '로그인' }).first().waitFor();
    await page.goto('/signup');
    await page.getByLabel('이메일').fill(user.email);
    await page.getByLabel('비밀번호').fill(user.password);
    await page.getByLabel('닉네임').fill(`${user.nickname}x`);
    await page.getByRole('button', { name: '회원가입' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('이미 가입된 이메일');

    await page.goto('/login');
    await page.getByLabel('이메일').fill(user.email);
    await page.getByLabel('비밀번호').fill('wrong-password-1');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('이메일 또는 비밀번호가 맞지 않아요');
    await shot(page, '03-login-error-phone');
    await page.getByLabel('비밀번호').fill(user.password);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.getByTestId('me').filter({ hasText: user.nickname }).waitFor();

    await page.getByTestId('me').click();
    const renamed = `${user.nickname}_b`;
    await page.getByLabel('닉네임').fill(renamed);
    await page.getByRole('button', { name: '저장' }).click();
    await page.getByRole('status').filter({ hasText: '저장했습니다' }).waitFor();
    await page.getByTestId('me').filter({ hasText: renamed }).waitFor();
    await shot(page, '04-profile-phone');

    // Invalid nickname: checked before sending, the reason in Korean beside the field (and the field marked).
    await page.getByLabel('닉네임').fill('!');
    await page.getByRole('button', { name: '저장' }).click();
    await expect.poll(() => page.locator('.field-error').first().textContent()).toContain('2~20자');
    expect(await page.getByLabel('닉네임').getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    // The session survives a reload (stored tokens, refreshed when needed).
    await page.reload();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    await page.getByTestId('me').filter({ hasText: renamed }).waitFor();
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

describe('every screen', () => {
  it('shows a heading and words (never a blank page) on a phone, signed in', async () => {
    const { context, page } = await newUser(e2e.browser, e2e.stack.baseUrl, { phone: true });
    await signUp(page, uniqueUser('tour'));
    for (const [path, name] of [
      ['/', 'near'],
      ['/status', 'status'],
      ['/weather', 'weather'],
      ['/missions', 'missions'],
      ['/resumes', 'resumes'],
      ['/notifications', 'notifications'],
      ['/profile', 'profile'],
      ['/no/such/page', 'not-found'],
    ]) {
      await page.goto(path);
      await page.locator('main h1').first().waitFor();
      // The heading comes first; the words follow once the page's data arrives (a two-letter heading alone is 2).
      await expect.poll(async () => (await page.locator('main').innerText()).trim().length, { timeout: 10_000 }).toBeGreaterThan(10);
      await page.waitForLoadState('networkidle');
      await shot(page, `10-screen-${name}-phone`);
    }
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

describe('Kakao login', () => {
  it('goes to Kakao (stub), comes back with a code and is signed in', async () => {
    const { context, page } = await newUser(e2e.browser, e2e.stack.baseUrl);
    await page.goto('/login');
    await page.getByRole('button', { name: '카카오로 로그인' }).click();
    await page.waitForURL(/\/auth\/kakao\?code=/);
    await page.getByTestId('me').waitFor();
    expect(await page.getByTestId('me').textContent()).toContain('김하늘');
    await page.waitForURL(`${e2e.stack.baseUrl}/`);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

describe('GraphiQL', () => {
  it('serves the IDE at /graphiql, runs a query over HTTP and a subscription over graphql-ws', async () => {
    const { context, page } = await newUser(e2e.browser, e2e.stack.baseUrl);
    // Signed in to the app in this e2e.browser: the IDE starts with that bearer token in its header editor.
    const user = uniqueUser('ide');
    await signUp(page, user);
    await page.goto('/graphiql');
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
    await page.locator('.result-window .CodeMirror').waitFor({ state: 'attached' });
    const result = async () => (await page.locator('.result-window').textContent()) ?? '';
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(result).toContain('"database": true');
    expect(await result()).toContain(`"nickname": "${user.nickname}"`);
    await shot(page, '90-graphiql-query');

    const setQuery = (text: string) =>
      page.evaluate((q) => {
        const cm = (
          document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }
        ).CodeMirror;
        cm.setValue(q);
      }, text);
    await setQuery('subscription Pings { pinged { message instanceId } }');
    // GraphiQL picks the operation name up from the editor after a short debounce; the tab shows it.
    await page.locator('.graphiql-tab', { hasText: 'Pings' }).waitFor();
    await page.locator('.graphiql-execute-button').click();
    // The subscription is live once the socket is up; ping until an event arrives.
    await expect
      .poll(async () => {
        await fetch(`${e2e.stack.baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'mutation { ping(message: "hello from e2e") }' }),
        });
        return result();
      })
      .toContain('hello from e2e');
    await shot(page, '91-graphiql-subscription');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

describe('resumes', () => {
  it('generates a resume from GitHub with live progress, publishes it, and another user sees it in the feed', async () => {
    const alice = await newUser(e2e.browser, e2e.stack.baseUrl);
    const bob = await newUser(e2e.browser, e2e.stack.baseUrl, { phone: true });
    const a = uniqueUser('dev');
    const b = uniqueUser('hr');
    await signUp(alice.page, a);
    await signUp(bob.page, b);

    await alice.page.goto('/resumes');
    await alice.page.getByLabel('GitHub 아이디').fill('haneul-dev');
    await alice.page.getByLabel('지원 직무').fill('Backend engineer');
    await alice.page.getByRole('button', { name: '만들기', exact: true }).click();
    const progress = alice.page.getByTestId('job-progress');
    await progress.waitFor();
    await alice.page.locator('[data-testid="job-progress"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    expect(await progress.locator('progress').getAttribute('value')).toBe('100');
    await shot(alice.page, '30-resume-generated');

    await alice.page.getByRole('link', { name: '이력서 보기' }).click();
    await alice.page.getByTestId('resume-content').waitFor();
    await alice.page.getByLabel('공개 범위').selectOption('PUBLIC');
    await expect.poll(() => alice.page.getByLabel('공개 범위').inputValue()).toBe('PUBLIC');
    await shot(alice.page, '31-resume-detail');

    await bob.page.goto('/resumes');
    await bob.page.getByText(`작성: ${a.nickname}`).first().waitFor();
    await shot(bob.page, '32-resume-feed-phone');
    await bob.page
      .getByRole('link', { name: new RegExp(`작성: ${a.nickname}`) })
      .first()
      .click();
    await bob.page.getByTestId('resume-content').waitFor();
    // Not the owner: no editing tools, but likes and comments; the owner's open page follows the count.
    expect(await bob.page.getByText('고급').count()).toBe(0);
    expect(await bob.page.getByRole('button', { name: 'JSON으로 직접 고치기' }).count()).toBe(0);
    await bob.page.getByRole('button', { name: /좋아요/ }).click();
    await expect.poll(() => alice.page.getByTestId('like-count').textContent()).toBe('1');
    await bob.page.getByLabel('댓글').fill('멋진 이력서네요');
    await bob.page.getByRole('button', { name: '댓글 달기' }).click();
    await bob.page.getByText('멋진 이력서네요').waitFor();
    expect([...pageErrors(alice.page), ...pageErrors(bob.page)]).toEqual([]);
    await alice.context.close();
    await bob.context.close();
  });
});
