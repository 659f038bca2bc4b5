import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures/github', `github-${name}.json`), 'utf8'));

export interface GithubStub {
  url: string;
  /** Every request: method, path with query, If-None-Match sent, status answered. */
  log: { path: string; ifNoneMatch?: string; status: number }[];
  /** The next `count` requests answer 403 with x-ratelimit-remaining 0 and a reset `resetInSeconds` from now. */
  rateLimit(resetInSeconds: number, count?: number): void;
  close(): Promise<void>;
}

/**
 * A GitHub REST stub on 127.0.0.1 serving the fixtures for `haneul-dev` with ETags (304 on If-None-Match),
 * 404 for other users, and primary-rate-limit 403s on demand.
 */
export async function startGithubStub(): Promise<GithubStub> {
  const user = fixture('user');
  const repos = fixture('repos');
  const languages = fixture('languages');
  const readme = fixture('readme');
  const prs = fixture('search-prs');
  const log: GithubStub['log'] = [];
  let limited = 0;
  let resetAt = 0;

  const route = (path: string): unknown => {
    const u = new URL(path, 'http://x');
    let m: RegExpExecArray | null;
    if ((m = /^\/users\/([^/]+)$/.exec(u.pathname))) return m[1] === user.login ? user : null;
    if ((m = /^\/users\/([^/]+)\/repos$/.exec(u.pathname))) return m[1] === user.login ? repos : null;
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/languages$/.exec(u.pathname))) return m[1] === user.login ? languages : null;
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/readme$/.exec(u.pathname))) return m[2] === 'commit-lens' ? readme : null;
    if (u.pathname === '/search/issues') return prs;
    return null;
  };

  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    const ifNoneMatch = req.headers['if-none-match'] as string | undefined;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      log.push({ path, ifNoneMatch, status });
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '60',
        'x-ratelimit-remaining': '59',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': path.startsWith('/search') ? 'search' : 'core',
        ...headers,
      });
      res.end(text);
    };
    if (limited > 0) {
      limited -= 1;
      return reply(
        403,
        {
          message: 'API rate limit exceeded for 127.0.0.1.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '60', 'x-ratelimit-reset': String(resetAt) },
      );
    }
    const body = route(path);
    if (body === null) return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    const etag = `W/"${Buffer.from(path).toString('base64url').slice(-24)}"`;
    if (ifNoneMatch === etag) return reply(304, undefined, { etag });
    reply(200, body, { etag });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    rateLimit(resetInSeconds, count = 1) {
      limited = count;
      resetAt = Math.floor(Date.now() / 1000) + resetInSeconds;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
