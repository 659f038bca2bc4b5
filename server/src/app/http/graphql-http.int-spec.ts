import { connect } from 'node:net';
import { request } from 'node:http';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { codeOf, gql } from '../../../test/graphql';

/** POSTs a raw body and answers status + parsed JSON (or the text when it is not JSON). */
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}

/** Sends `chunks` with `transfer-encoding: chunked` (no content-length); answers the status and body, or the socket error. */
function postChunked(url: string, chunk: Buffer, count: number): Promise<{ status?: number; text?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    let sent = 0;
    const write = () => {
      while (sent < count) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

/** Opens a raw TCP connection, writes `head`, and resolves with whatever the server answers before closing (or a timeout). */
function rawExchange(port: number, head: string, waitMs: number): Promise<{ answer: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, waitMs);
    socket.on('data', (d) => (answer += d));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closed: true });
    });
    socket.on('error', () => undefined);
    socket.write(head);
  });
}

describe('GraphQL over HTTP: caller mistakes are 4xx', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      GRAPHQL_MAX_DEPTH: '4',
      GRAPHQL_MAX_ALIASES: '3',
      GRAPHQL_MAX_TOKENS: '400',
      GRAPHQL_MAX_COST: '200',
    });
  });
  afterAll(() => api.stop());

  it('answers 400 BAD_USER_INPUT to a document that does not parse', async () => {
    const res = await post(api.url, '{"query":"{ me "}');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers 400 to a document that does not validate', async () => {
    const res = await post(api.url, JSON.stringify({ query: '{ serverStatus { nope } }' }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers 400 to token, depth, alias and cost limit errors', async () => {
    const tokens = `{ ${'__typename '.repeat(500)} }`;
    const depth = '{ postsNear(latitude: 37.5, longitude: 127) { edges { node { author { id } } } } }';
    const aliases = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: serverStatus { version }`).join(' ')} }`;
    const cost = `{ ${Array.from({ length: 3 }, (_, i) => `p${i}: postsNear(latitude: 37.5, longitude: 127, first: 100) { edges { node { id title } } }`).join(' ')} }`;
    const limitMessage = /token|depth|alias|cost/i;
    for (const query of [tokens, depth, aliases, cost]) {
      const res = await post(api.url, JSON.stringify({ query }));
      const seen = {
        query: query.slice(0, 30),
        status: res.status,
        code: res.body.errors?.[0]?.extensions?.code,
        message: res.body.errors?.[0]?.message,
      };
      expect(seen).toEqual({
        query: query.slice(0, 30),
        status: 400,
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(limitMessage),
      });
    }
  });

  it('answers 400 to a subscription sent over HTTP', async () => {
    const res = await post(api.url, JSON.stringify({ query: 'subscription { pinged { message } }' }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/WebSocket/);
  });

  it('still answers a query of a document that also holds a subscription, when the query is the one asked for', async () => {
    const query = 'query Q { __typename } subscription S { pinged { message } }';
    const res = await post(api.url, JSON.stringify({ query, operationName: 'Q' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ __typename: 'Query' });
  });

  it('answers 413 to a declared body over the limit', async () => {
    const res = await post(api.url, JSON.stringify({ query: `{ __typename } #${'x'.repeat(1024 * 1024)}` }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 413 to a chunked body over the limit instead of resetting the socket', async () => {
    const answer = await postChunked(api.url, Buffer.alloc(64 * 1024, 'a'), 40);
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text!).error.code).toBe('PAYLOAD_TOO_LARGE');
    // The connection pool is not poisoned: the next request on a fresh connection works.
    expect((await gql(api.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('keeps answering a syntax error in a GET request with 400', async () => {
    const res = await fetch(`${api.url}?query=${encodeURIComponent('{ me ')}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(res.status).toBe(400);
    expect(codeOf({ status: res.status, headers: res.headers, ...((await res.json()) as object) })).toBe('BAD_USER_INPUT');
  });
});

describe('HTTP timeouts', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000' });
  });
  afterAll(() => api.stop());

  it('cuts off a body that trickles in (slowloris) with 408 at the request timeout', async () => {
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`;
    const { answer, closed } = await rawExchange(api.port, head, 8000);
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off headers that never finish at the headers timeout', async () => {
    const { answer, closed } = await rawExchange(api.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 8000);
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('lets a keep-alive connection sit idle longer than the request timeout', async () => {
    const agentRequest = (agent: import('node:http').Agent) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`http://127.0.0.1:${api.port}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.end();
      });
    const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await agentRequest(agent)).toBe(200);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await agentRequest(agent)).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
