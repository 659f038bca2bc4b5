import jwt from 'jsonwebtoken';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { codeOf, gql } from '../../../test/graphql';
import { subscribe, wsClient } from '../../../test/ws-client';
import { hashToken } from './auth.service';

const SIGN_UP = `mutation($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id nickname role email } }
}`;
const LOG_IN = `mutation($email: String!, $password: String!) {
  logIn(input: { email: $email, password: $password }) { accessToken refreshToken accessTokenExpiresAt user { id nickname role } }
}`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { nickname } } }`;
const LOG_OUT = `mutation($t: String!, $all: Boolean) { logOut(refreshToken: $t, allDevices: $all) }`;
const ME = '{ me { id nickname role email } }';

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n += 1)}`;
const account = (over: Partial<{ email: string; password: string; nickname: string }> = {}) => {
  const tag = unique();
  return { email: `u${tag}@test.kr`, password: 'password-123', nickname: `nick_${tag}`.slice(0, 20), ...over };
};

describe('accounts: sign-up, log-in, sessions', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ ADMIN_EMAILS: 'Boss@Test.kr', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '1000' });
  });
  beforeEach(() => api.reset());
  afterAll(() => api.stop());

  const signUp = (input: Record<string, unknown>) => api.gql(SIGN_UP, { input });

  it('signs up with a normalised email, stores a bcrypt hash and answers an AuthPayload', async () => {
    const input = account({ email: '  Kim.Haneul@Example.COM ', nickname: '김하늘' });
    const res = await signUp(input);
    expect(res.errors).toBeUndefined();
    const payload = (res.data as any).signUp;
    expect(payload.user).toMatchObject({ nickname: '김하늘', role: 'USER', email: 'kim.haneul@example.com' });
    expect(new Date(payload.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(payload.refreshToken).toMatch(/^[\w-]{40,}$/);

    const me = await api.gqlOk(ME, undefined, payload.accessToken);
    expect(me.me).toEqual(payload.user);

    const rows = await api.infra.orm.em.getConnection().execute('select email, password_hash from users');
    expect(rows).toEqual([{ email: 'kim.haneul@example.com', password_hash: expect.stringMatching(/^\$2b\$04\$.{53}$/) }]);
    // Refresh tokens are stored hashed, never as issued.
    const tokens = await api.infra.orm.em.getConnection().execute('select token_hash from refresh_tokens');
    expect(tokens).toEqual([{ token_hash: hashToken(payload.refreshToken) }]);
  });

  it('answers validation problems with BAD_USER_INPUT and extensions.fields', async () => {
    const res = await signUp({ email: 'not-an-email', password: 'short', nickname: 'a b' });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.fields).toEqual({
      email: ['must be a valid email address'],
      password: ['must be at least 8 bytes'],
      nickname: ['may contain only letters, digits and _'],
    });
    const long = await signUp(account({ password: '가'.repeat(25), nickname: 'x' }));
    expect(long.errors![0].extensions!.fields).toEqual({
      password: ['must be at most 72 bytes'],
      nickname: ['must be 2 to 20 characters'],
    });
  });

  it('refuses a duplicate email and a case- or normalisation-variant nickname with CONFLICT', async () => {
    const first = account({ nickname: 'Café_Owner' });
    expect((await signUp(first)).errors).toBeUndefined();

    const sameEmail = await signUp(account({ email: first.email.toUpperCase() }));
    expect(codeOf(sameEmail)).toBe('CONFLICT');
    expect(sameEmail.errors![0].extensions!.reason).toBe('EMAIL_TAKEN');

    const variant = await signUp(account({ nickname: 'CAFÉ_owner'.normalize('NFD') }));
    expect(codeOf(variant)).toBe('CONFLICT');
    expect(variant.errors![0].extensions!.reason).toBe('NICKNAME_TAKEN');
  });

  it('gives one account and one NICKNAME_TAKEN for two simultaneous sign-ups with Foo and foo', async () => {
    const results = await Promise.all([signUp(account({ nickname: 'Foo' })), signUp(account({ nickname: 'foo' }))]);
    const ok = results.filter((r) => !r.errors);
    const failed = results.filter((r) => r.errors);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0].errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NICKNAME_TAKEN' });
    const count = await api.infra.orm.em.getConnection().execute("select count(*) as c from users where nickname_key = 'foo'");
    expect(Number(count[0].c)).toBe(1);
  });

  it("does not accept the right password with extra bytes beyond bcrypt's 72", async () => {
    const input = account({ password: 'p'.repeat(72) });
    await api.gqlOk(SIGN_UP, { input });
    expect(codeOf(await api.gql(LOG_IN, { email: input.email, password: `${input.password}extra` }))).toBe('UNAUTHENTICATED');
    expect((await api.gql(LOG_IN, { email: input.email, password: input.password })).errors).toBeUndefined();
  });

  it('refuses batched HTTP requests, which would multiply log-in attempts', async () => {
    const input = account();
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([1, 2].map(() => ({ query: LOG_IN, variables: { email: input.email, password: 'wrong-password' } }))),
    });
    expect(res.status).toBe(400);
  });

  it('logs in with any case of the email; a wrong password and an unknown email get the same answer', async () => {
    const input = account();
    await api.gqlOk(SIGN_UP, { input });
    const ok = await api.gqlOk(LOG_IN, { email: ` ${input.email.toUpperCase()}`, password: input.password });
    expect(ok.logIn.user.nickname).toBe(input.nickname);
    expect((await api.gqlOk(ME, undefined, ok.logIn.accessToken)).me.nickname).toBe(input.nickname);

    const wrong = await api.gql(LOG_IN, { email: input.email, password: 'password-124' });
    const unknown = await api.gql(LOG_IN, { email: `nobody-${unique()}@test.kr`, password: input.password });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
  });

  it('makes ADMIN_EMAILS admins and refuses admin-only operations to users', async () => {
    const boss = await api.gqlOk(SIGN_UP, { input: account({ email: 'boss@test.kr' }) });
    expect(boss.signUp.user.role).toBe('ADMIN');
    const user = await api.gqlOk(SIGN_UP, { input: account() });
    expect(user.signUp.user.role).toBe('USER');

    const SET_ROLE = 'mutation($id: ID!) { setUserRole(userId: $id, role: ADMIN) { id role } }';
    const refused = await api.gql(SET_ROLE, { id: user.signUp.user.id }, user.signUp.accessToken);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(codeOf(await api.gql(SET_ROLE, { id: user.signUp.user.id }))).toBe('UNAUTHENTICATED');

    const promoted = await api.gqlOk(SET_ROLE, { id: user.signUp.user.id }, boss.signUp.accessToken);
    expect(promoted.setUserRole.role).toBe('ADMIN');
    // The role travels in the access token: it takes effect with the next refresh.
    const refreshed = await api.gqlOk(REFRESH, { t: user.signUp.refreshToken });
    const claims = jwt.decode(refreshed.refreshSession.accessToken) as jwt.JwtPayload;
    expect(claims.role).toBe('ADMIN');

    // Admins see other users' emails, users do not.
    const NODE = 'query($id: ID!) { node(id: $id) { ... on User { email } } }';
    expect((await api.gqlOk(NODE, { id: boss.signUp.user.id }, refreshed.refreshSession.accessToken)).node.email).toBe('boss@test.kr');
    const other = await api.gqlOk(SIGN_UP, { input: account() });
    expect((await api.gqlOk(NODE, { id: boss.signUp.user.id }, other.signUp.accessToken)).node.email).toBeNull();
  });

  it('rotates refresh tokens, and re-use of a rotated token revokes the whole family', async () => {
    const { signUp: first } = await api.gqlOk(SIGN_UP, { input: account() });
    const second = (await api.gqlOk(REFRESH, { t: first.refreshToken })).refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = (await api.gqlOk(REFRESH, { t: second.refreshToken })).refreshSession;

    // The first token again: an attacker (or a replay). The family dies, including the newest token.
    const reuse = await api.gql(REFRESH, { t: first.refreshToken });
    expect(codeOf(reuse)).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(REFRESH, { t: third.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(REFRESH, { t: 'no-such-token' }))).toBe('UNAUTHENTICATED');
  });

  it('lets exactly one of two simultaneous refreshes with the same token win', async () => {
    const { signUp: session } = await api.gqlOk(SIGN_UP, { input: account() });
    const results = await Promise.all([api.gql(REFRESH, { t: session.refreshToken }), api.gql(REFRESH, { t: session.refreshToken })]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1); // the winner...
    const winner = results.find((r) => !r.errors)!;
    // ...whose family is revoked by the loser's re-use: the race itself is treated as theft.
    expect(codeOf(await api.gql(REFRESH, { t: (winner.data as any).refreshSession.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('does not rotate an expired refresh token', async () => {
    const { signUp: session } = await api.gqlOk(SIGN_UP, { input: account() });
    await api.infra.orm.em.getConnection().execute('update refresh_tokens set expires_at = now(3) - interval 1 second');
    const res = await api.gql(REFRESH, { t: session.refreshToken });
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0].message).toMatch(/expired/);
  });

  it('logs out one device, or every device', async () => {
    const input = account();
    const phone = (await api.gqlOk(SIGN_UP, { input })).signUp;
    const laptop = (await api.gqlOk(LOG_IN, { email: input.email, password: input.password })).logIn;
    const tablet = (await api.gqlOk(LOG_IN, { email: input.email, password: input.password })).logIn;

    expect((await api.gqlOk(LOG_OUT, { t: phone.refreshToken })).logOut).toBe(true);
    expect(codeOf(await api.gql(REFRESH, { t: phone.refreshToken }))).toBe('UNAUTHENTICATED');
    expect((await api.gqlOk(LOG_OUT, { t: phone.refreshToken })).logOut).toBe(false);
    const laptop2 = (await api.gqlOk(REFRESH, { t: laptop.refreshToken })).refreshSession;

    expect((await api.gqlOk(LOG_OUT, { t: tablet.refreshToken, all: true })).logOut).toBe(true);
    expect(codeOf(await api.gql(REFRESH, { t: laptop2.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.gql(REFRESH, { t: tablet.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('refuses expired, forged, alg:none and wrong-key access tokens with UNAUTHENTICATED (401)', async () => {
    const { signUp: session } = await api.gqlOk(SIGN_UP, { input: account() });
    const sub = (jwt.decode(session.accessToken) as jwt.JwtPayload).sub!;
    const secret = api.config.JWT_SECRET;
    const expired = jwt.sign({ role: 'USER', exp: Math.floor(Date.now() / 1000) - 60 }, secret, { algorithm: 'HS256', subject: sub });
    const none = jwt.sign({ role: 'ADMIN' }, '', { algorithm: 'none', subject: sub });
    const wrongKey = jwt.sign({ role: 'ADMIN' }, 'another-secret-that-is-long-enough-0123456789', { algorithm: 'HS256', subject: sub });
    const [header, , signature] = session.accessToken.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub, role: 'ADMIN', exp: 9999999999 })).toString('base64url')}.${signature}`;

    for (const token of [expired, none, wrongKey, tampered]) {
      const res = await gql(api.url, ME, undefined, { token });
      expect([res.status, codeOf(res)]).toEqual([401, 'UNAUTHENTICATED']);
    }
    expect((await gql(api.url, ME, undefined, { token: expired })).errors![0].message).toMatch(/expired/);
  });

  it('closes sockets with expired or forged tokens with 4401 and serves signed-in operations over graphql-ws', async () => {
    const { signUp: session } = await api.gqlOk(SIGN_UP, { input: account() });
    const sub = (jwt.decode(session.accessToken) as jwt.JwtPayload).sub!;
    const expired = jwt.sign({ role: 'USER', exp: Math.floor(Date.now() / 1000) - 60 }, api.config.JWT_SECRET, {
      algorithm: 'HS256',
      subject: sub,
    });
    const none = jwt.sign({ role: 'ADMIN' }, '', { algorithm: 'none', subject: sub });
    for (const token of [expired, none]) {
      const code = await new Promise<number>((resolve) => {
        const client = wsClient(api.url, token, {
          onNonLazyError: () => undefined,
          on: { closed: (e) => resolve((e as { code: number }).code) },
        });
        client.subscribe({ query: 'subscription { pinged { message } }' }, { next() {}, error() {}, complete() {} });
      });
      expect(code).toBe(4401);
    }

    const client = wsClient(api.url, session.accessToken);
    const me = await subscribe(client, ME);
    expect(await me.nth(1)).toEqual({ me: expect.objectContaining({ nickname: session.user.nickname, email: session.user.email }) });
    const anonymous = wsClient(api.url);
    const update = await subscribe(anonymous, 'mutation { updateProfile(input: { nickname: "nope_ws" }) { id } }');
    await expect(update.error).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
    await client.dispose();
    await anonymous.dispose();
  });

  it('signs up and logs in over graphql-ws the same way as over HTTP', async () => {
    const input = account();
    const client = wsClient(api.url);
    const created = await subscribe(client, SIGN_UP, { input });
    expect(((await created.nth(1)) as any).signUp.user.nickname).toBe(input.nickname);
    const logged = await subscribe(client, LOG_IN, { email: input.email, password: input.password });
    expect(((await logged.nth(1)) as any).logIn.user.nickname).toBe(input.nickname);
    await client.dispose();
  });
});

describe('failed log-in limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '5', LOGIN_FAILURE_WINDOW_SECONDS: '2' });
  });
  beforeEach(() => api.reset());
  afterAll(() => api.stop());

  const logIn = (email: string, password: string) => api.gql(LOG_IN, { email, password });

  it('limits failures per account with RATE_LIMITED and retryAfterSeconds, even for the right password, until the window ends', async () => {
    const input = account();
    await api.gqlOk(SIGN_UP, { input });
    for (let i = 0; i < 3; i += 1) expect(codeOf(await logIn(input.email, 'wrong-password'))).toBe('UNAUTHENTICATED');
    const limited = await logIn(input.email, input.password);
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0].extensions!.retryAfterSeconds).toEqual(expect.any(Number));
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Another spelling of the same address is the same account.
    expect(codeOf(await logIn(input.email.toUpperCase(), input.password))).toBe('RATE_LIMITED');

    // The limit resets when the window is over.
    await new Promise((r) => setTimeout(r, (limited.errors![0].extensions!.retryAfterSeconds as number) * 1000 + 100));
    expect((await logIn(input.email, input.password)).errors).toBeUndefined();
  });

  it('resets the account count on a successful log-in', async () => {
    const input = account();
    await api.gqlOk(SIGN_UP, { input });
    for (let i = 0; i < 2; i += 1) await logIn(input.email, 'wrong-password');
    expect((await logIn(input.email, input.password)).errors).toBeUndefined();
    for (let i = 0; i < 2; i += 1) expect(codeOf(await logIn(input.email, 'wrong-password'))).toBe('UNAUTHENTICATED');
    expect((await logIn(input.email, input.password)).errors).toBeUndefined();
  });

  it('limits failures per IP across accounts (unknown emails included)', async () => {
    const input = account();
    await api.gqlOk(SIGN_UP, { input });
    for (let i = 0; i < 5; i += 1) expect(codeOf(await logIn(`guess${i}-${unique()}@test.kr`, 'password-123'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await logIn(input.email, input.password))).toBe('RATE_LIMITED');
  });

  it('counts parallel guesses on one account exactly', async () => {
    const input = account();
    await api.gqlOk(SIGN_UP, { input });
    const results = await Promise.all(Array.from({ length: 4 }, () => logIn(input.email, 'wrong-password')));
    expect(results.map(codeOf).sort()).toEqual(['RATE_LIMITED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });

  it('allows one credential operation per request, so aliases cannot multiply guesses', async () => {
    const input = account();
    await api.gqlOk(SIGN_UP, { input });
    // Mutation fields run in order; a failed logIn (non-null) already ends the operation, and after a
    // successful one every further credential field is refused.
    const guesses = Array.from(
      { length: 3 },
      (_, i) => `g${i}: logIn(input: { email: $e, password: "guess-${i}-xx" }) { accessToken }`,
    ).join('\n');
    const res = await api.gql(
      `mutation($e: String!, $p: String!) { ok: logIn(input: { email: $e, password: $p }) { accessToken } ${guesses} }`,
      {
        e: input.email,
        p: input.password,
      },
    );
    expect(res.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['g0'], 'BAD_USER_INPUT']]);
    // None of the guesses counted: three wrong passwords are still answered, the fourth is limited.
    for (let i = 0; i < 3; i += 1) expect(codeOf(await logIn(input.email, 'wrong-password'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await logIn(input.email, 'wrong-password'))).toBe('RATE_LIMITED');

    const session = (await api.gqlOk(SIGN_UP, { input: account() })).signUp;
    const mixed = await api.gql(
      `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } logIn(input: { email: "x@test.kr", password: "x-wrong-1" }) { accessToken } }`,
      { t: session.refreshToken },
    );
    expect(mixed.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['logIn'], 'BAD_USER_INPUT']]);
  });
});
