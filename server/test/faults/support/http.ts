import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

/** One HTTP exchange as a client saw it: when, how long, and either a status or a transport error. */
export interface Outcome {
  start: number;
  end: number;
  ms: number;
  status?: number;
  headers?: IncomingHttpHeaders;
  text?: string;
  /** Transport failure: ECONNRESET (including "socket hang up"), ECONNREFUSED, EPIPE, TIMEOUT... */
  error?: string;
}

/** Transport errors that mean the server dropped a request it had accepted (not a refused connection). */
export const RESET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'HPE_INVALID_CONSTANT', 'ERR_STREAM_PREMATURE_CLOSE']);

export interface SendOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  agent?: Agent | false;
  timeoutMs?: number;
  /** Bodies written in these pieces with `transfer-encoding: chunked` (no content-length). */
  chunks?: Buffer[];
}

/** Sends one request and resolves (never rejects) with what happened. */
export function send(url: string, body: string | Buffer | null, options: SendOptions = {}): Promise<Outcome> {
  const start = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (o: Omit<Outcome, 'start' | 'end' | 'ms'>) => {
      if (settled) return;
      settled = true;
      const end = Date.now();
      resolve({ start, end, ms: end - start, ...o });
    };
    const headers: OutgoingHttpHeaders = { ...options.headers };
    if (body !== null && !options.chunks && headers['content-length'] === undefined) headers['content-length'] = Buffer.byteLength(body);
    const req = request(url, { method: options.method ?? 'POST', headers, agent: options.agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => finish({ status: res.statusCode, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', (err: NodeJS.ErrnoException) => finish({ status: res.statusCode, error: err.code ?? err.message }));
    });
    const timer = setTimeout(() => {
      finish({ error: 'TIMEOUT' });
      req.destroy();
    }, options.timeoutMs ?? 30_000);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code ?? err.message }));
    if (options.chunks) {
      const write = (i: number): void => {
        if (i >= options.chunks!.length) return void req.end();
        if (req.destroyed) return;
        if (req.write(options.chunks![i])) setImmediate(() => write(i + 1));
        else req.once('drain', () => write(i + 1));
      };
      write(0);
    } else req.end(body ?? undefined);
  });
}

export interface GqlOutcome extends Outcome {
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
  /** `extensions.code` of the first error, or the body's `error.code` (plain HTTP errors such as 503 at the door). */
  code?: string;
  /** HTTP 200 with data and no errors. */
  ok: boolean;
}

export function parseGql(outcome: Outcome): GqlOutcome {
  let body: any;
  try {
    body = outcome.text ? JSON.parse(outcome.text) : undefined;
  } catch {
    body = undefined;
  }
  const errors = body?.errors;
  const code = errors?.[0]?.extensions?.code ?? body?.error?.code;
  return { ...outcome, data: body?.data ?? undefined, errors, code, ok: outcome.status === 200 && !errors?.length && body?.data != null };
}

/** GraphQL over HTTP with a keep-alive connection pool, as a browser or a mobile client would use it. */
export class GqlClient {
  readonly agent: Agent;

  constructor(
    readonly url: string,
    sockets = 64,
    private readonly timeoutMs = 30_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  async request(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlOutcome> {
    const outcome = await send(this.url, JSON.stringify({ query, variables }), {
      agent: this.agent,
      timeoutMs: this.timeoutMs,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return parseGql(outcome);
  }

  /** The data of a request that must succeed. */
  async ok<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
    const result = await this.request(query, variables, token);
    if (!result.ok) throw new Error(`GraphQL request failed (${result.status ?? result.error}): ${result.text?.slice(0, 500)}`);
    return result.data as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Probes a plain GET route (`/readyz`) on a fresh connection each time. */
export function probe(url: string, timeoutMs = 3000): Promise<Outcome> {
  return send(url, null, { method: 'GET', agent: false, timeoutMs });
}
