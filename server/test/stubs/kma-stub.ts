import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A KMA fixture file (test/fixtures/kma, copied from ../shared/fixtures) as text. */
export const kmaFixture = (name: string) => readFileSync(join(__dirname, '../fixtures/kma', name), 'utf8');

export interface KmaAnswer {
  status?: number;
  body: string;
  contentType?: string;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export type KmaHandler = (query: URLSearchParams) => KmaAnswer;

export interface KmaStub {
  /** Use as KMA_BASE_URL. */
  url: string;
  /** Every request: operation and query. */
  log: { operation: string; query: URLSearchParams }[];
  /** What getPwnCd answers (default: the kma-wrn-list.json fixture). */
  warnings: KmaHandler;
  /** What getUltraSrtNcst answers (default: the kma-ultra-ncst.json fixture). */
  observations: KmaHandler;
  close(): Promise<void>;
}

/** The JSON envelope of a successful getPwnCd page with these rows. */
export function warningsBody(items: Record<string, unknown>[], asObject = false): string {
  return JSON.stringify({
    response: {
      header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
      body: {
        dataType: 'JSON',
        items: { item: asObject && items.length === 1 ? items[0] : items },
        pageNo: 1,
        numOfRows: 1000,
        totalCount: items.length,
      },
    },
  });
}

/** A stub of apis.data.go.kr/1360000 on 127.0.0.1 speaking the real wire format. */
export async function startKmaStub(): Promise<KmaStub> {
  const stub: KmaStub = {
    url: '',
    log: [],
    warnings: () => ({ body: kmaFixture('kma-wrn-list.json') }),
    observations: () => ({ body: kmaFixture('kma-ultra-ncst.json') }),
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const operation = u.pathname.split('/').pop() ?? '';
    stub.log.push({ operation, query: u.searchParams });
    const handler = operation === 'getPwnCd' ? stub.warnings : operation === 'getUltraSrtNcst' ? stub.observations : null;
    if (!handler) {
      res.writeHead(404).end('not found');
      return;
    }
    const answer = handler(u.searchParams);
    if (answer.hang) return;
    const type = answer.contentType ?? (answer.body.trim().startsWith('<') ? 'text/xml;charset=UTF-8' : 'application/json;charset=UTF-8');
    res.writeHead(answer.status ?? 200, { 'content-type': type }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/1360000`;
  stub.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return stub;
}
