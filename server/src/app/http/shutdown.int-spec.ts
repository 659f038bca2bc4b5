import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { spawnProcess, type SpawnedProcess } from '../../../test/spawn-api';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status?: number;
  text?: string;
  error?: string;
}

/** One request on `agent`; resolves with the status and body, or the socket error code. */
function call(agent: Agent, url: string, body?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        agent,
        method: body ? 'POST' : 'GET',
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
      },
    );
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(body);
  });
}

/** A graphql-ws socket past connection_ack; `closed` resolves with the close code once the server closes it. */
async function openSocket(port: number): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
  await new Promise((r) => socket.on('open', r));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await new Promise<void>((resolve) => socket.on('message', (m) => JSON.parse(String(m)).type === 'connection_ack' && resolve()));
  return { closed: new Promise((resolve) => socket.on('close', (code) => resolve(code))) };
}

const messages = (api: SpawnedProcess) => api.logs.map((l) => l.msg);

describe('shutdown on SIGTERM', () => {
  const spawned: SpawnedProcess[] = [];
  const spawnApi = async () => {
    const api = await spawnProcess('api');
    spawned.push(api);
    return api;
  };
  afterEach(() => Promise.all(spawned.splice(0).map((api) => api.dispose())));

  it('when idle: closes sockets with 1012 (service restart), closes MySQL, Redis and queues, exits 0 well within 10 s', async () => {
    const api = await spawnApi();
    const { closed } = await openSocket(api.port);
    const started = Date.now();
    api.child.kill('SIGTERM');
    expect(await closed).toBe(1012);
    expect(await api.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(messages(api)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(messages(api)).not.toContain('shutdown took too long; exiting');
  });

  it('goes unready first and answers the request in flight', async () => {
    const api = await spawnApi();
    const probes = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await call(probes, `${api.base}/readyz`)).status).toBe(200);

    // A request in flight: admitted, its body not sent yet.
    const body = JSON.stringify({ query: '{ __typename }' });
    const held = request(`${api.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const heldAnswer = new Promise<Answer>((resolve) => {
      held.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      held.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    });
    held.flushHeaders();
    await sleep(200);

    api.child.kill('SIGTERM');
    // The probe's kept-alive connection sees readiness go 503 (and is then closed by the server).
    let readyz: Answer;
    do {
      readyz = await call(probes, `${api.base}/readyz`);
      if (readyz.status === 200) await sleep(20);
    } while (readyz.status === 200);
    expect(readyz.status).toBe(503);
    // New connections are refused; the request in flight still gets its answer.
    expect((await call(new Agent(), `${api.base}/healthz`)).error).toBe('ECONNREFUSED');
    held.end(body);
    expect(await heldAnswer).toEqual({ status: 200, text: expect.stringContaining('"__typename":"Query"') });
    expect(await api.exited).toBe(0);
    probes.destroy();
  });

  it('under load: no request is reset, every answer is complete, exit 0 within 10 s', async () => {
    const api = await spawnApi();
    const sockets = await Promise.all(Array.from({ length: 5 }, () => openSocket(api.port)));
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const tally = { ok: 0, refused: 0, other: [] as string[] };
    let running = true;
    const loop = async (i: number) => {
      while (running) {
        const query = i % 2 ? '{ __typename }' : '{ serverStatus { database redis } }';
        const answer = await call(agent, `${api.base}/graphql`, JSON.stringify({ query }));
        if (answer.status === 200 && answer.text!.includes('"data"')) tally.ok++;
        else if (answer.error === 'ECONNREFUSED') {
          tally.refused++;
          await sleep(20);
        } else tally.other.push(JSON.stringify(answer).slice(0, 200));
      }
    };
    const loops = Array.from({ length: 32 }, (_, i) => loop(i));
    await sleep(1500);
    const okBefore = tally.ok;
    const started = Date.now();
    api.child.kill('SIGTERM');
    const code = await api.exited;
    const ms = Date.now() - started;
    await sleep(200);
    running = false;
    await Promise.all(loops);
    agent.destroy();

    expect(okBefore).toBeGreaterThan(50);
    expect(tally.other).toEqual([]);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(new Set(await Promise.all(sockets.map((s) => s.closed)))).toEqual(new Set([1012]));
    expect(messages(api)).not.toContain('shutdown took too long; exiting');
  });
});
