// Stub outside services on 127.0.0.1 speaking their real wire format (fixtures from /work/shared/fixtures copied
// into e2e/fixtures when a flow needs them). Tests change the answers through `stubs.state`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubState {
  /** KMA warnings (getPwnCd items) the stub currently reports. */
  kmaWarnings: Record<string, unknown>[];
  /** Every request seen, for debugging failed runs. */
  seen: string[];
}

export interface Stubs {
  url: string;
  state: StubState;
  close(): Promise<void>;
}

type Handler = (
  req: IncomingMessage,
  url: URL,
  body: string,
  state: StubState,
) => { status?: number; json?: unknown; text?: string; location?: string } | null;

const KST = (d: Date) => {
  const k = new Date(d.getTime() + 9 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${k.getUTCFullYear()}${p(k.getUTCMonth() + 1)}${p(k.getUTCDate())}`,
    hm: `${p(k.getUTCHours())}00`,
    stamp: Number(`${k.getUTCFullYear()}${p(k.getUTCMonth() + 1)}${p(k.getUTCDate())}${p(k.getUTCHours())}${p(k.getUTCMinutes())}`),
  };
};

function kmaBody(items: unknown[]) {
  return {
    response: {
      header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
      body: { dataType: 'JSON', items: { item: items }, pageNo: 1, numOfRows: Math.max(items.length, 10), totalCount: items.length },
    },
  };
}

const KAKAO_TOKEN = {
  access_token: 'stub-kakao-access-token',
  token_type: 'bearer',
  refresh_token: 'stub-kakao-refresh-token',
  expires_in: 21599,
  scope: 'account_email profile_nickname',
  refresh_token_expires_in: 5183999,
};
const KAKAO_ME = {
  id: 3456789012,
  connected_at: '2026-06-02T04:26:40Z',
  properties: { nickname: '김하늘' },
  kakao_account: {
    profile_nickname_needs_agreement: false,
    profile: { nickname: '김하늘', is_default_image: true },
    has_email: true,
    email_needs_agreement: false,
    is_email_valid: true,
    is_email_verified: true,
    email: 'haneul.kim@example.com',
  },
};

const handlers: Handler[] = [
  // Kakao login: the authorize page consents at once and sends the browser back with a code.
  (_req, url) => {
    if (url.pathname !== '/oauth/authorize') return null;
    const back = new URL(url.searchParams.get('redirect_uri') ?? 'http://invalid/');
    back.searchParams.set('code', 'stub-kakao-code');
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    return { status: 302, location: back.toString(), text: '' };
  },
  (req, url, body) => {
    if (url.pathname !== '/oauth/token' || req.method !== 'POST') return null;
    const form = new URLSearchParams(body);
    if (form.get('code') !== 'stub-kakao-code')
      return {
        status: 400,
        json: { error: 'invalid_grant', error_description: 'authorization code not found for code=...', error_code: 'KOE320' },
      };
    return { json: KAKAO_TOKEN };
  },
  (req, url) => {
    if (url.pathname !== '/v2/user/me') return null;
    if (req.headers.authorization !== `Bearer ${KAKAO_TOKEN.access_token}`)
      return { status: 401, json: { msg: 'this access token does not exist', code: -401 } };
    return { json: KAKAO_ME };
  },
  // KMA ultra-short-term observations (초단기실황) for any grid point.
  (_req, url) => {
    if (!url.pathname.endsWith('/getUltraSrtNcst')) return null;
    const { date, hm } = KST(new Date(Date.now() - 3600_000));
    const nx = Number(url.searchParams.get('nx') ?? 60);
    const ny = Number(url.searchParams.get('ny') ?? 127);
    const values: Record<string, string> = { T1H: '27.3', RN1: '0', REH: '65', PTY: '0', WSD: '2.4', VEC: '236', UUU: '2.0', VVV: '1.3' };
    return {
      json: kmaBody(Object.entries(values).map(([category, obsrValue]) => ({ baseDate: date, baseTime: hm, category, nx, ny, obsrValue }))),
    };
  },
  // KMA warnings (특보코드조회).
  (_req, url, _body, state) => {
    if (!url.pathname.endsWith('/getPwnCd')) return null;
    if (!state.kmaWarnings.length) return { json: { response: { header: { resultCode: '03', resultMsg: 'NO_DATA' } } } };
    return { json: kmaBody(state.kmaWarnings) };
  },
  (_req, url) => {
    if (!url.pathname.includes('WthrWrnInfoService')) return null;
    return { json: { response: { header: { resultCode: '03', resultMsg: 'NO_DATA' } } } };
  },
];

export function kmaWarning(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = KST(new Date());
  return {
    stnId: '109',
    tmFc: now.stamp,
    tmSeq: 1,
    areaCode: 'L1100200',
    areaName: '서울동북권',
    warnVar: 3,
    warnStress: 1,
    command: '1',
    cancel: '0',
    startTime: now.stamp,
    endTime: 0,
    allEndTime: 0,
    ...overrides,
  };
}

export async function startStubs(extra: Handler[] = []): Promise<Stubs> {
  const state: StubState = { kmaWarnings: [], seen: [] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const body = Buffer.concat(chunks).toString('utf8');
      state.seen.push(`${req.method} ${url.pathname}`);
      for (const h of [...extra, ...handlers]) {
        const answer = h(req, url, body, state);
        if (!answer) continue;
        const text = answer.json === undefined ? (answer.text ?? '') : JSON.stringify(answer.json);
        res.writeHead(answer.status ?? 200, {
          'content-type': answer.json === undefined ? 'text/plain' : 'application/json; charset=utf-8',
          ...(answer.location ? { location: answer.location } : {}),
        });
        res.end(text);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise((r) => server.close(() => r())) };
}
