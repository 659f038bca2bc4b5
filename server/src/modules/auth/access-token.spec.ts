import jwt from 'jsonwebtoken';
import { AppError } from '../../app/errors';
import { createAccessTokens } from './access-token';

const SECRET = 'unit-secret-that-is-long-enough-for-hs256-0123456789';
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (err) {
    return err instanceof AppError ? `${err.code}: ${err.message}` : String(err);
  }
};

describe('access tokens', () => {
  afterEach(() => jest.useRealTimers());

  it('signs HS256 tokens carrying id and role, with expiresAt equal to exp', () => {
    const tokens = createAccessTokens({ JWT_SECRET: SECRET, ACCESS_TOKEN_TTL_SECONDS: 900 });
    const { token, expiresAt } = tokens.sign({ id: 42, role: 'ADMIN' });
    const decoded = jwt.decode(token, { complete: true })!;
    expect(decoded.header.alg).toBe('HS256');
    expect(decoded.payload).toMatchObject({ sub: '42', role: 'ADMIN' });
    expect((decoded.payload as jwt.JwtPayload).exp! * 1000).toBe(expiresAt.getTime());
    expect(tokens.authenticate(`Bearer ${token}`)).toEqual({ id: 42, role: 'ADMIN' });
    expect(tokens.authenticate(`bearer   ${token}`)).toEqual({ id: 42, role: 'ADMIN' }); // second call: from the cache
    expect(tokens.authenticate(undefined)).toBeNull();
  });

  it('refuses alg:none, another key, a tampered payload and garbage, also after the genuine token was cached', () => {
    const tokens = createAccessTokens({ JWT_SECRET: SECRET, ACCESS_TOKEN_TTL_SECONDS: 900 });
    const { token } = tokens.sign({ id: 7, role: 'USER' });
    tokens.authenticate(`Bearer ${token}`);
    const [header, , signature] = token.split('.');
    const forged = [
      jwt.sign({ role: 'ADMIN' }, '', { algorithm: 'none', subject: '7' }),
      jwt.sign({ role: 'ADMIN' }, 'another-secret-that-is-long-enough-0123456789', { algorithm: 'HS256', subject: '7' }),
      `${header}.${Buffer.from(JSON.stringify({ sub: '7', role: 'ADMIN', exp: 9999999999 })).toString('base64url')}.${signature}`,
      jwt.sign({ role: 'ROOT', exp: 9999999999 }, SECRET, { algorithm: 'HS256', subject: '7' }),
      jwt.sign({ role: 'USER' }, SECRET, { algorithm: 'HS256', subject: '7' }), // no exp: never expires, refused
      'not.a.jwt',
    ];
    for (const bad of forged)
      expect(codeOf(() => tokens.authenticate(`Bearer ${bad}`))).toBe('UNAUTHENTICATED: The access token is not valid.');
    expect(codeOf(() => tokens.authenticate('Basic abc'))).toMatch(/^UNAUTHENTICATED/);
  });

  it('refuses a token once it has expired, even one verified (and cached) before', () => {
    jest.useFakeTimers({ now: new Date('2026-11-26T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const tokens = createAccessTokens({ JWT_SECRET: SECRET, ACCESS_TOKEN_TTL_SECONDS: 60 });
    const { token } = tokens.sign({ id: 1, role: 'USER' });
    expect(tokens.authenticate(`Bearer ${token}`)).toEqual({ id: 1, role: 'USER' });
    jest.setSystemTime(new Date('2026-11-26T10:01:01Z'));
    expect(codeOf(() => tokens.authenticate(`Bearer ${token}`))).toBe('UNAUTHENTICATED: Your session has expired; refresh it.');
  });
});
