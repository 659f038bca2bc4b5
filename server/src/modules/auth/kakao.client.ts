import type { Config } from '../../app/config.js';
import { unauthenticated, unavailable } from '../../app/errors.js';
import type { Logger } from '../../app/logger.js';

/** The parts of `GET /v2/user/me` this service reads. */
export interface KakaoProfile {
  /** Kakao's service user id, as a decimal string (it is a 64-bit number). */
  id: string;
  nickname: string | null;
  /** Only when Kakao marks the address valid and verified. */
  verifiedEmail: string | null;
}

type KakaoConfig = Pick<
  Config,
  'KAKAO_CLIENT_ID' | 'KAKAO_CLIENT_SECRET' | 'KAKAO_AUTH_BASE_URL' | 'KAKAO_API_BASE_URL' | 'KAKAO_TIMEOUT_MS'
>;

const OUTAGE = 'Kakao login is unavailable right now; try again later.';

/** HTTP calls to kauth.kakao.com and kapi.kakao.com, with their two error shapes mapped to public errors. */
export class KakaoClient {
  constructor(
    private readonly config: KakaoConfig,
    private readonly logger: Logger,
  ) {}

  /** `POST /oauth/token` (form-encoded, client secret in the body, PKCE verifier); returns Kakao's access token. */
  async exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: this.config.KAKAO_CLIENT_ID!,
      redirect_uri: redirectUri,
      code,
      code_verifier: codeVerifier,
    });
    if (this.config.KAKAO_CLIENT_SECRET) body.set('client_secret', this.config.KAKAO_CLIENT_SECRET);
    const { status, json } = await this.call(`${this.config.KAKAO_AUTH_BASE_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body,
    });
    if (status === 200 && typeof json?.access_token === 'string') return json.access_token;
    // {"error":"invalid_grant","error_description":"…","error_code":"KOE320"}
    const errorCode = String(json?.error_code ?? '');
    if (errorCode === 'KOE320' || json?.error === 'invalid_grant') {
      throw unauthenticated('The Kakao login code was already used or has expired; start the login again.');
    }
    if (json?.error === 'access_denied') throw unauthenticated('The Kakao login was cancelled.');
    if (status < 500 && errorCode !== 'KOE003') {
      // KOE006 (redirect URI), KOE010 (secret), KOE101 (key)...: our configuration, not the user's fault.
      this.logger.error({ status, error: json?.error, errorCode }, 'kakao token exchange refused');
    }
    throw unavailable(OUTAGE);
  }

  /** `GET /v2/user/me` with the Kakao access token. */
  async fetchProfile(accessToken: string): Promise<KakaoProfile> {
    const { status, json, text } = await this.call(`${this.config.KAKAO_API_BASE_URL}/v2/user/me`, {
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (status === 200 && json && (typeof json.id === 'number' || typeof json.id === 'string')) {
      const account = json.kakao_account ?? {};
      const email =
        account.is_email_valid === true && account.is_email_verified === true && typeof account.email === 'string' ? account.email : null;
      return {
        id: kakaoId(json.id, text),
        nickname: account.profile?.nickname ?? json.properties?.nickname ?? null,
        verifiedEmail: email ? email.trim().toLowerCase() : null,
      };
    }
    // {"msg":"…","code":-401}
    const code = Number(json?.code);
    if (code === -402) throw unauthenticated('Kakao did not share the profile this app needs; agree to it and log in again.');
    if (code === -401 || code === -101 || code === -103 || code === -406 || status === 401) {
      throw unauthenticated('Kakao refused the login; start it again.');
    }
    if (status < 500) this.logger.error({ status, code, msg: json?.msg }, 'kakao user/me refused');
    throw unavailable(OUTAGE);
  }

  private async call(url: string, init: RequestInit): Promise<{ status: number; json: any; text: string }> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.config.KAKAO_TIMEOUT_MS) });
      text = await res.text();
    } catch (err) {
      this.logger.warn({ err, url }, 'kakao unreachable');
      throw unavailable(OUTAGE, err);
    }
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      if (res.status < 500) this.logger.warn({ status: res.status, url }, 'kakao answered non-JSON');
      throw unavailable(OUTAGE);
    }
    return { status: res.status, json, text };
  }
}

// Kakao ids are 64-bit; above 2^53 JSON.parse rounds them, so read the digits from the raw body instead.
function kakaoId(parsed: number | string, raw: string): string {
  if (typeof parsed === 'string') return parsed;
  if (Number.isSafeInteger(parsed)) return String(parsed);
  const digits = /^\s*\{\s*"id"\s*:\s*(\d+)/.exec(raw)?.[1];
  if (!digits) throw unavailable(OUTAGE);
  return digits;
}
