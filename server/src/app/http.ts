import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

export type Request = IncomingMessage & { requestId: string; ip: string };

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Exact path, or a pattern whose groups are passed as `params`. */
  path: string | RegExp;
  handle(req: Request, res: ServerResponse, params: string[]): Promise<void> | void;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limitBytes) return reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `Body over ${limitBytes} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.destroy();
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `Body over ${limitBytes} bytes`));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const REQUEST_ID = /^[\w.-]{8,64}$/;

/** The id a request is logged and answered under: the caller's `x-request-id` when sane, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0].trim();
  return req.socket.remoteAddress ?? 'unknown';
}

export function matchRoute(routes: readonly Route[], method: string, path: string): [Route, string[]] | null {
  for (const route of routes) {
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return [route, []];
    } else {
      const m = route.path.exec(path);
      if (m) return [route, m.slice(1)];
    }
  }
  return null;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Serves a built single-page app: files as they are, any other path gets index.html. */
export function serveStatic(root: string) {
  const base = resolve(root);
  return (path: string, res: ServerResponse): boolean => {
    let file = normalize(join(base, decodeURIComponent(path)));
    if (!file.startsWith(base + sep) && file !== base) return false;
    let stat = safeStat(file);
    if (!stat?.isFile()) {
      if (extname(path)) return false;
      file = join(base, 'index.html');
      stat = safeStat(file);
      if (!stat?.isFile()) return false;
    }
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
    return true;
  };
}

function safeStat(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
