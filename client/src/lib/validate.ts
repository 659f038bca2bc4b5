// Checks a form before it is sent, with the same rule shape the server answers (`extensions.fieldRules`), so both
// read from one catalogue. Lengths count characters (code points after NFC), as the server does; the password's
// upper bound counts UTF-8 bytes because bcrypt reads at most 72.
import type { FieldRule, FieldRules } from './errors';

export const chars = (s: string) => [...s.normalize('NFC')].length;
export const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

type Check = (value: string) => FieldRule | null;

export const required: Check = (v) => (v.trim() ? null : { rule: 'REQUIRED' });
export const length =
  (min: number, max: number): Check =>
  (v) => {
    const n = chars(v.trim());
    if (n < min) return { rule: 'TOO_SHORT', min, max };
    if (n > max) return { rule: 'TOO_LONG', min, max };
    return null;
  };
export const pattern =
  (re: RegExp): Check =>
  (v) =>
    v.trim() && !re.test(v.trim()) ? { rule: 'INVALID_FORMAT' } : null;
export const number =
  (min: number, max: number): Check =>
  (v) => {
    if (!v.trim()) return null;
    const n = Number(v);
    return Number.isFinite(n) && n >= min && n <= max ? null : { rule: 'OUT_OF_RANGE', min, max };
  };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NICKNAME = /^[\p{L}\p{N}_]+$/u;
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export const password: Check = (v) => {
  if (!v) return { rule: 'REQUIRED' };
  if (chars(v) < 8) return { rule: 'TOO_SHORT', min: 8 };
  if (utf8Bytes(v) > 72) return { rule: 'TOO_LONG', max: 72 };
  return null;
};

/** Field checks of each form (API.md and the schema's descriptions). */
export const FORMS = {
  signUp: {
    email: [required, pattern(EMAIL)],
    password: [password],
    nickname: [required, length(2, 20), pattern(NICKNAME)],
  },
  logIn: { email: [required, pattern(EMAIL)], password: [required] },
  profile: {
    nickname: [required, length(2, 20), pattern(NICKNAME)],
    homeLatitude: [number(-90, 90)],
    homeLongitude: [number(-180, 180)],
  },
  post: { title: [required, length(1, 100)], body: [required, length(1, 5000)] },
  comment: { body: [required, length(1, 2000)] },
  chat: { body: [required, length(1, 1000)] },
  generateResume: { githubUsername: [required, pattern(GITHUB_LOGIN)], targetRole: [required, length(1, 100)] },
  revise: { instruction: [required, length(1, 1000)] },
  missionCode: { code: [required] },
  mission: { title: [required, length(1, 100)], rewardPoints: [required, number(1, 100000)], capacity: [number(1, 1000000)] },
} satisfies Record<string, Record<string, Check[]>>;

/** The broken rules of each field (first failing check only); empty when the form may be sent. */
export function check<F extends Record<string, Check[]>>(form: F, values: Partial<Record<keyof F, string>>): FieldRules {
  const out: FieldRules = {};
  for (const [field, checks] of Object.entries(form)) {
    const value = values[field as keyof F] ?? '';
    for (const c of checks) {
      const problem = c(value);
      if (problem) {
        out[field] = [problem];
        break;
      }
    }
  }
  return out;
}
