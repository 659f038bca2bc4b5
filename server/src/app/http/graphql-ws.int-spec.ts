import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';

/** Opens a graphql-ws socket; `accepted` says whether the upgrade succeeded, else `status` is the HTTP refusal. */
function open(port: number, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const outcome = new Promise<{ accepted: boolean; status?: number; retryAfter?: string }>((resolve) => {
    socket.on('open', () => resolve({ accepted: true }));
    socket.on('unexpected-response', (_req, res) => {
      resolve({ accepted: false, status: res.statusCode, retryAfter: res.headers['retry-after'] });
      res.resume();
    });
    socket.on('error', () => undefined);
  });
  return { socket, closed, outcome };
}

/** Sends connection_init and waits for the ack. */
async function init(socket: WebSocket, payload: Record<string, unknown> = {}): Promise<void> {
  socket.send(JSON.stringify({ type: 'connection_init', payload }));
  await new Promise<void>((resolve) => socket.on('message', (m) => JSON.parse(String(m)).type === 'connection_ack' && resolve()));
}

describe('WebSocket limits', () => {
  describe('per client address', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ WS_MAX_PER_IP: '2', TRUST_PROXY: 'true' });
    });
    afterAll(() => api.stop());

    it('refuses the upgrade past WS_MAX_PER_IP with 429, and admits again once one closes', async () => {
      const from = { 'x-forwarded-for': '203.0.113.7' };
      const first = open(api.port, from);
      const second = open(api.port, from);
      expect(await first.outcome).toEqual({ accepted: true });
      expect(await second.outcome).toEqual({ accepted: true });
      expect(await open(api.port, from).outcome).toEqual({ accepted: false, status: 429, retryAfter: expect.any(String) });
      // Another address is not affected.
      const other = open(api.port, { 'x-forwarded-for': '203.0.113.8' });
      expect(await other.outcome).toEqual({ accepted: true });

      first.socket.close();
      await first.closed;
      await new Promise((r) => setTimeout(r, 50));
      const again = open(api.port, from);
      expect(await again.outcome).toEqual({ accepted: true });
      for (const s of [second, other, again]) s.socket.close();
    });
  });

  describe('per process', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ WS_MAX_CONNECTIONS: '2' });
    });
    afterAll(() => api.stop());

    it('refuses the upgrade past WS_MAX_CONNECTIONS with 503', async () => {
      const sockets = [open(api.port), open(api.port)];
      for (const s of sockets) expect(await s.outcome).toEqual({ accepted: true });
      expect(await open(api.port).outcome).toEqual({ accepted: false, status: 503, retryAfter: expect.any(String) });
      for (const s of sockets) s.socket.close();
    });
  });

  describe('idle anonymous sockets', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ WS_ANONYMOUS_IDLE_SECONDS: '1' });
    });
    afterAll(() => api.stop());

    it('closes an anonymous socket that runs nothing after connection_init with 1000 "idle"', async () => {
      const anonymous = open(api.port);
      await anonymous.outcome;
      await init(anonymous.socket);
      expect(await anonymous.closed).toEqual({ code: 1000, reason: 'idle' });
    });

    it('keeps an anonymous socket with a subscription, and a signed-in socket, open', async () => {
      const { token } = await createUser(api);
      const subscribed = open(api.port);
      const signedIn = open(api.port);
      await Promise.all([subscribed.outcome, signedIn.outcome]);
      await Promise.all([init(subscribed.socket), init(signedIn.socket, { authorization: `Bearer ${token}` })]);
      subscribed.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { pinged { message } }' } }));
      const idleClose = open(api.port);
      await idleClose.outcome;
      await init(idleClose.socket);
      // By the time an idle anonymous socket is closed, the other two have been idle as long.
      await idleClose.closed;
      await new Promise((r) => setTimeout(r, 1200));
      expect([subscribed.socket.readyState, signedIn.socket.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
      subscribed.socket.close();
      signedIn.socket.close();
    });
  });
});
