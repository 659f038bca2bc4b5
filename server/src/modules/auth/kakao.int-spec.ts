import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';

// Copies of ../shared/fixtures/kakao-*.json, so the tests need nothing outside the repository.
const FIXTURES = join(__dirname, '../../../test/fixtures/kakao');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const TOKEN = JSON.parse(fixture('kakao-token.json'));
const ME_BODY = fixture('kakao-me.json');
const TOKEN_ERROR = fixture('kakao-token-error.json');

interface Scenario {
  /** Raw JSON body of /v2/user/me, or a status + body for errors. */
  me?: { status: number; body: string };
  token?: { status: number; body: string; contentType?: string };
}

/** A stub of kauth.kakao.com + kapi.kakao.com speaking the documented wire format. */
class KakaoStub {
  server!: Server;
  url = '';
  scenarios = new Map<string, Scenario>();
  tokenRequests: { contentType: string; form: URLSearchParams }[] = [];
  meRequests: { authorization: string }[] = [];
  private used = new Set<string>();

  async start() {
    this.server = createServer(async (req, res) => {
      const body = await read(req);
      const send = (status: number, text: string, contentType = 'application/json;charset=UTF-8') =>
        res.writeHead(status, { 'content-type': contentType }).end(text);
      if (req.method === 'POST' && req.url === '/oauth/token') {
        const form = new URLSearchParams(body);
        this.tokenRequests.push({ contentType: String(req.headers['content-type']), form });
        const code = form.get('code') ?? '';
        const scenario = this.scenarios.get(code);
        if (!scenario || this.used.has(code)) return send(400, TOKEN_ERROR.replace(/code=\w+/, `code=${code}`));
        this.used.add(code);
        if (scenario.token) return send(scenario.token.status, scenario.token.body, scenario.token.contentType);
        // The access token names the scenario, so /v2/user/me knows what to answer.
        return send(200, JSON.stringify({ ...TOKEN, access_token: `at-${code}` }));
      }
      if (req.method === 'GET' && req.url?.startsWith('/v2/user/me')) {
        const authorization = String(req.headers.authorization ?? '');
        this.meRequests.push({ authorization });
        const scenario = this.scenarios.get(authorization.replace(/^Bearer at-/, ''));
        if (!scenario) return send(401, JSON.stringify({ msg: 'this access token does not exist', code: -401 }));
        const me = scenario.me ?? { status: 200, body: ME_BODY };
        return send(me.status, me.body);
      }
      send(404, JSON.stringify({ msg: 'not found', code: -1 }));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(r));
  }
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });

const meWith = (changes: (me: any) => void) => {
  const me = JSON.parse(ME_BODY);
  changes(me);
  return { status: 200, body: JSON.stringify(me) };
};

const URL_QUERY = 'query($r: String) { kakaoLoginUrl(redirectUri: $r) { url state } }';
const KAKAO_LOGIN = `mutation($code: String!, $state: String!) {
  logInWithKakao(code: $code, state: $state) { accessToken refreshToken user { id nickname email role } }
}`;
const REDIRECT = 'http://localhost:5173/auth/kakao/callback';

describe('Kakao login against a stub Kakao server', () => {
  const kakao = new KakaoStub();
  let api: TestApi;
  let n = 0;

  beforeAll(async () => {
    await kakao.start();
    api = await startTestApi({
      KAKAO_CLIENT_ID: 'rest-api-key-123',
      KAKAO_CLIENT_SECRET: 'client-secret-456',
      KAKAO_REDIRECT_URI: REDIRECT,
      KAKAO_AUTH_BASE_URL: kakao.url,
      KAKAO_API_BASE_URL: kakao.url,
      KAKAO_TIMEOUT_MS: '2000',
    });
  });
  beforeEach(async () => {
    await api.reset();
    kakao.scenarios.clear();
    kakao.tokenRequests = [];
    kakao.meRequests = [];
  });
  afterAll(async () => {
    await api.stop();
    await kakao.stop();
  });

  /** Starts a login and returns what the browser would bring back: a fresh code and the state. */
  const begin = async (scenario: Scenario = {}) => {
    const { kakaoLoginUrl } = await api.gqlOk(URL_QUERY);
    const code = `code${(n += 1)}x${Date.now().toString(36)}`;
    kakao.scenarios.set(code, scenario);
    return { code, state: kakaoLoginUrl.state as string, url: new URL(kakaoLoginUrl.url) };
  };

  it('builds the authorize URL with a single-use state and a PKCE challenge', async () => {
    const { url, state } = await begin();
    expect(`${url.origin}${url.pathname}`).toBe(`${kakao.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'rest-api-key-123',
      redirect_uri: REDIRECT,
      response_type: 'code',
      state,
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
    const ttl = await api.infra.redis.client.ttl(`auth:kakao-state:${state}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);

    const other = await api.gql(URL_QUERY, { r: 'https://evil.example/steal' });
    expect(codeOf(other)).toBe('BAD_USER_INPUT');
    expect(other.errors![0].extensions!.fields).toEqual({ redirectUri: [expect.any(String)] });
  });

  it('exchanges the code server-side, creates the user from the Kakao profile, and signs the same user in next time', async () => {
    const { code, state, url } = await begin();
    const first = (await api.gqlOk(KAKAO_LOGIN, { code, state })).logInWithKakao;
    expect(first.user).toMatchObject({ nickname: '김하늘', email: 'haneul.kim@example.com', role: 'USER' });

    // The token request: form-encoded, client secret in the body, the verifier that matches the challenge.
    expect(kakao.tokenRequests).toHaveLength(1);
    const { contentType, form } = kakao.tokenRequests[0];
    expect(contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'rest-api-key-123',
      client_secret: 'client-secret-456',
      redirect_uri: REDIRECT,
      code,
      code_verifier: expect.any(String),
    });
    const challenge = createHash('sha256').update(form.get('code_verifier')!).digest('base64url');
    expect(challenge).toBe(url.searchParams.get('code_challenge'));
    expect(kakao.meRequests).toEqual([{ authorization: `Bearer at-${code}` }]);

    const me = await api.gqlOk('{ me { id nickname } }', undefined, first.accessToken);
    expect(me.me).toEqual({ id: first.user.id, nickname: '김하늘' });
    const rows = await api.infra.orm.em.getConnection().execute('select kakao_id, password_hash from users');
    expect(rows).toEqual([{ kakao_id: '3456789012', password_hash: null }]);

    // The state was used up.
    expect(codeOf(await api.gql(KAKAO_LOGIN, { code, state }))).toBe('UNAUTHENTICATED');

    const again = await begin();
    const second = (await api.gqlOk(KAKAO_LOGIN, again)).logInWithKakao;
    expect(second.user.id).toBe(first.user.id);
    // The refresh token works like any other.
    const refreshed = await api.gqlOk('mutation($t: String!) { refreshSession(refreshToken: $t) { user { id } } }', {
      t: second.refreshToken,
    });
    expect(refreshed.refreshSession.user.id).toBe(first.user.id);
  });

  it('limits how many login URLs (stored states) one IP may ask for', async () => {
    const results = [];
    for (let i = 0; i < 31; i += 1) results.push(await api.gql(URL_QUERY));
    expect(results.slice(0, 30).every((r) => !r.errors)).toBe(true);
    expect(results[30].errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });

  it('creates one account when the same Kakao user finishes two first logins at once', async () => {
    const [a, b] = [await begin(), await begin()];
    const results = await Promise.all([api.gqlOk(KAKAO_LOGIN, a), api.gqlOk(KAKAO_LOGIN, b)]);
    expect(results[0].logInWithKakao.user.id).toBe(results[1].logInWithKakao.user.id);
    expect(await api.infra.orm.em.getConnection().execute('select nickname from users')).toEqual([{ nickname: '김하늘' }]);
  });

  it('refuses an unknown or expired state without calling Kakao', async () => {
    const res = await api.gql(KAKAO_LOGIN, { code: 'whatever', state: 'never-issued' });
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(kakao.tokenRequests).toHaveLength(0);
  });

  it('answers a reused code (KOE320) with UNAUTHENTICATED', async () => {
    const first = await begin();
    await api.gqlOk(KAKAO_LOGIN, first);
    // The browser replays the same code with a new state: Kakao says KOE320.
    const { state } = await begin();
    const res = await api.gql(KAKAO_LOGIN, { code: first.code, state });
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0].message).toMatch(/already used or has expired/);
  });

  it('answers a denied consent ({msg, code: -402}) with UNAUTHENTICATED', async () => {
    const login = await begin({
      me: {
        status: 403,
        body: JSON.stringify({ msg: 'insufficient scopes.', code: -402, api_type: 'ME', required_scopes: ['profile_nickname'] }),
      },
    });
    const res = await api.gql(KAKAO_LOGIN, { code: login.code, state: login.state });
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0].message).toMatch(/agree/);
    expect(await api.infra.orm.em.getConnection().execute('select id from users')).toEqual([]);
  });

  it('answers a Kakao outage with SERVICE_UNAVAILABLE (5xx, HTML error page, or no answer at all)', async () => {
    const html = await begin({ token: { status: 502, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' } });
    expect(codeOf(await api.gql(KAKAO_LOGIN, { code: html.code, state: html.state }))).toBe('SERVICE_UNAVAILABLE');

    const koe003 = await begin({ token: { status: 500, body: JSON.stringify({ error: 'server_error', error_code: 'KOE003' }) } });
    expect(codeOf(await api.gql(KAKAO_LOGIN, { code: koe003.code, state: koe003.state }))).toBe('SERVICE_UNAVAILABLE');

    const meDown = await begin({ me: { status: 503, body: JSON.stringify({ msg: 'system error', code: -9798 }) } });
    expect(codeOf(await api.gql(KAKAO_LOGIN, { code: meDown.code, state: meDown.state }))).toBe('SERVICE_UNAVAILABLE');

    const down = await startTestApi({
      KAKAO_CLIENT_ID: 'rest-api-key-123',
      KAKAO_CLIENT_SECRET: 'client-secret-456',
      KAKAO_REDIRECT_URI: REDIRECT,
      KAKAO_AUTH_BASE_URL: 'http://127.0.0.1:9', // nothing listens there
    });
    try {
      const { kakaoLoginUrl } = await down.gqlOk(URL_QUERY);
      const res = await down.gql(KAKAO_LOGIN, { code: 'c', state: kakaoLoginUrl.state });
      expect(codeOf(res)).toBe('SERVICE_UNAVAILABLE');
      expect(res.errors![0].message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await down.stop();
    }
  });

  it('suffixes the nickname on collision and never merges into a password account with the same email', async () => {
    const existing = await createUser(api, { nickname: '김하늘', email: 'haneul.kim@example.com' });
    const login = await begin();
    const { user } = (await api.gqlOk(KAKAO_LOGIN, login)).logInWithKakao;
    expect(user.id).not.toBe(existing.user.globalId);
    expect(user.nickname).toBe('김하늘_2');
    expect(user.email).toBeNull();
    const rows = await api.infra.orm.em.getConnection().execute('select email, kakao_id from users order by id');
    expect(rows).toEqual([
      { email: 'haneul.kim@example.com', kakao_id: null },
      { email: null, kakao_id: '3456789012' },
    ]);
  });

  it('trusts a Kakao email only when valid and verified, and derives a nickname when none was shared', async () => {
    const login = await begin({
      me: meWith((me) => {
        me.id = 9007199254740993; // above 2^53: JSON.parse would round it
        me.kakao_account.is_email_verified = false;
        delete me.kakao_account.profile;
        delete me.properties;
        me.kakao_account.profile_nickname_needs_agreement = true;
      }),
    });
    // JSON.stringify above already rounded the id; put the exact digits back into the raw body.
    const scenario = kakao.scenarios.get(login.code)!;
    scenario.me!.body = scenario.me!.body.replace(/^\{"id":\d+/, '{"id":9007199254740993');
    const { user } = (await api.gqlOk(KAKAO_LOGIN, login)).logInWithKakao;
    expect(user.email).toBeNull();
    expect(user.nickname).toBe('kakao_user');
    const rows = await api.infra.orm.em.getConnection().execute('select kakao_id from users');
    expect(rows).toEqual([{ kakao_id: '9007199254740993' }]);
  });

  it('makes a Kakao user with a verified ADMIN_EMAILS address an admin', async () => {
    const admin = await startTestApi({
      KAKAO_CLIENT_ID: 'rest-api-key-123',
      KAKAO_CLIENT_SECRET: 'client-secret-456',
      KAKAO_REDIRECT_URI: REDIRECT,
      KAKAO_AUTH_BASE_URL: kakao.url,
      KAKAO_API_BASE_URL: kakao.url,
      ADMIN_EMAILS: 'haneul.kim@example.com',
    });
    try {
      const { kakaoLoginUrl } = await admin.gqlOk(URL_QUERY);
      const code = `admin${Date.now()}`;
      kakao.scenarios.set(code, {});
      const { user } = (await admin.gqlOk(KAKAO_LOGIN, { code, state: kakaoLoginUrl.state })).logInWithKakao;
      expect(user.role).toBe('ADMIN');
    } finally {
      await admin.stop();
    }
  });
});

describe('Kakao login when not configured', () => {
  it('answers SERVICE_UNAVAILABLE', async () => {
    const api = await startTestApi();
    try {
      expect(codeOf(await api.gql(URL_QUERY))).toBe('SERVICE_UNAVAILABLE');
      expect(codeOf(await api.gql(KAKAO_LOGIN, { code: 'c', state: 's' }))).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await api.stop();
    }
  });
});
