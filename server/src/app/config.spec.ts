import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: 'x'.repeat(32) });
    expect(config).toMatchObject({
      PORT: 4000,
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/weatherwise',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LLM_PROVIDER: 'none',
      LLM_DAILY_JOB_LIMIT: 10,
      WEATHER_POLL_INTERVAL_SECONDS: 3600,
      KMA_BASE_URL: 'https://apis.data.go.kr/1360000',
      ADMIN_EMAILS: [],
      kakaoEnabled: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every problem at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ NODE_ENV: 'production', PORT: 'abc', REDIS_URL: 'http://x', LLM_PROVIDER: 'openai', KAKAO_CLIENT_ID: 'id' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.problems.join('\n');
    for (const name of ['PORT', 'REDIS_URL', 'JWT_SECRET', 'LLM_MODEL', 'KAKAO_CLIENT_ID']) expect(text).toContain(name);
  });

  it('generates a development JWT secret once and keeps it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ww-')), 'nested', 'jwt-secret');
    const first = loadConfig({ JWT_SECRET_FILE: file });
    const second = loadConfig({ JWT_SECRET_FILE: file });
    expect(first.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(second.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(readFileSync(file, 'utf8')).toBe(first.JWT_SECRET);
  });

  it('bounds waits at the edge and on the stores by default', () => {
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) })).toMatchObject({
      HTTP_REQUEST_TIMEOUT_MS: 30000,
      HTTP_HEADERS_TIMEOUT_MS: 30000,
      REDIS_COMMAND_TIMEOUT_MS: 1000,
      DATABASE_CONNECT_TIMEOUT_MS: 2000,
      DATABASE_ACQUIRE_TIMEOUT_MS: 3000,
      WS_MAX_PER_IP: 1000,
      WS_MAX_CONNECTIONS: 20000,
      WS_ANONYMOUS_IDLE_SECONDS: 60,
      WORKER_HEALTH_PORT: 4001,
    });
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(32), HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '2000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS/,
    );
  });

  it('parses ADMIN_EMAILS as a normalised list', () => {
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32), ADMIN_EMAILS: ' A@x.kr, b@y.kr ,' }).ADMIN_EMAILS).toEqual(['a@x.kr', 'b@y.kr']);
  });
});

describe('.env.example', () => {
  it('lists every variable the config reads', () => {
    const source = readFileSync(join(__dirname, 'config.ts'), 'utf8');
    const block = source.slice(source.indexOf('const schema = z'), source.indexOf('});', source.indexOf('const schema = z')));
    const names = [...block.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    const example = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !listed.has(n))).toEqual([]);
  });
});
