import { createHash } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Redis } from 'ioredis';
import type { Config } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';

/** Why a GitHub call failed, in words a resume job can show. */
export class GithubError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'GithubError';
  }
}

export interface GithubClientOptions {
  /** A primary rate limit that resets within this many seconds is waited for; a later reset fails the call. */
  maxRateLimitWaitSeconds?: number;
  /** Multiplier of plugin-retry/throttling delays (ms per second); 1000 in production. */
  retryAfterBaseValue?: number;
}

const ETAG_TTL_SECONDS = 7 * 24 * 3600;

/**
 * GitHub REST over Octokit with throttling and retries. GETs are ETag-conditional: the last body of each URL is kept in
 * Redis with its ETag, and a 304 (which costs no rate limit) answers from it.
 */
export class GithubClient {
  private readonly octokit: InstanceType<ReturnType<typeof Octokit.plugin>>;
  private readonly identity: string;
  /** Requests answered 200 / 304, for tests and logs. */
  readonly stats = { fetched: 0, notModified: 0 };

  constructor(
    config: Pick<Config, 'GITHUB_API_URL' | 'GITHUB_TOKEN'>,
    private readonly redis: Redis,
    private readonly logger: Logger,
    options: GithubClientOptions = {},
  ) {
    const maxWait = options.maxRateLimitWaitSeconds ?? 60;
    const MyOctokit = Octokit.plugin(throttling, retry);
    this.identity = createHash('sha256')
      .update(config.GITHUB_TOKEN ?? 'anonymous')
      .digest('hex')
      .slice(0, 12);
    this.octokit = new MyOctokit({
      auth: config.GITHUB_TOKEN,
      baseUrl: (config.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
      userAgent: 'weatherwise-resumes/1.0',
      log: {
        debug: () => {},
        info: () => {},
        warn: (m: string) => logger.warn({ github: m }),
        error: (m: string) => logger.warn({ github: m }),
      },
      throttle: {
        retryAfterBaseValue: options.retryAfterBaseValue ?? 1000,
        onRateLimit: (retryAfter: number, opts: { method: string; url: string }, _o: unknown, retryCount: number) => {
          const wait = retryCount < 1 && retryAfter <= maxWait;
          logger.warn({ url: opts.url, retryAfter, wait }, 'github primary rate limit');
          return wait;
        },
        onSecondaryRateLimit: (retryAfter: number, opts: { url: string }, _o: unknown, retryCount: number) => {
          const wait = retryCount < 1 && retryAfter <= maxWait;
          logger.warn({ url: opts.url, retryAfter, wait }, 'github secondary rate limit');
          return wait;
        },
      },
      retry: { doNotRetry: [304, 400, 401, 403, 404, 410, 422, 429, 451], retryAfterBaseValue: options.retryAfterBaseValue ?? 1000 },
    });
  }

  /** A GET with ETag revalidation; `null` for a 404 when `allowMissing`. */
  async get<T>(route: string, params: Record<string, string | number>, allowMissing = false): Promise<T | null> {
    const url = route.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(params[k])));
    const query = Object.entries(params)
      .filter(([k]) => !route.includes(`{${k}}`))
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join('&');
    const key = `gh:etag:${this.identity}:${createHash('sha1').update(`${url}?${query}`).digest('hex')}`;
    const cachedRaw = await this.redis.get(key);
    const cached = cachedRaw ? (JSON.parse(cachedRaw) as { etag: string; body: T }) : null;
    try {
      const res = await this.octokit.request(`GET ${route}`, {
        ...params,
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          ...(cached ? { 'if-none-match': cached.etag } : {}),
        },
      });
      this.stats.fetched += 1;
      const etag = res.headers.etag;
      if (etag) await this.redis.set(key, JSON.stringify({ etag, body: res.data }), 'EX', ETAG_TTL_SECONDS);
      return res.data as T;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 304 && cached) {
        this.stats.notModified += 1;
        return cached.body;
      }
      if (status === 404) {
        if (allowMissing) return null;
        throw new GithubError('NOT_FOUND', 'not found');
      }
      throw this.translate(err);
    }
  }

  private translate(err: unknown): GithubError {
    const e = err as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
    const headers = e.response?.headers ?? {};
    if (e.status === 403 || e.status === 429) {
      const reset = Number(headers['x-ratelimit-reset']);
      const when = Number.isFinite(reset) && reset > 0 ? ` It resets at ${new Date(reset * 1000).toISOString()}.` : '';
      return new GithubError('RATE_LIMITED', `GitHub rate limit exceeded; try again later.${when} Setting GITHUB_TOKEN raises the limit.`);
    }
    this.logger.warn({ err }, 'github request failed');
    return new GithubError('SERVICE_UNAVAILABLE', `GitHub is not answering (${e.status ?? 'network error'}); try again later.`);
  }
}
