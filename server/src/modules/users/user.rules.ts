import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { conflict } from '../../app/errors.js';

/** Letters of any script (Hangul included), ASCII digits and `_`; 2 to 20 characters after NFC. */
const NICKNAME = /^[\p{L}0-9_]{2,20}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const NICKNAME_MIN = 2;
export const NICKNAME_MAX = 20;

export function normalizeNickname(raw: string): string {
  return raw.trim().normalize('NFC');
}

/** What the unique index compares: NFC, then lower case (and NFC again, as lower-casing can decompose). */
export function nicknameKey(nickname: string): string {
  return nickname.normalize('NFC').toLowerCase().normalize('NFC');
}

export function nicknameProblems(nickname: string): string[] {
  const length = [...nickname].length;
  if (length < NICKNAME_MIN || length > NICKNAME_MAX) return [`must be ${NICKNAME_MIN} to ${NICKNAME_MAX} characters`];
  if (!NICKNAME.test(nickname)) return ['may contain only letters, digits and _'];
  return [];
}

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function emailProblems(email: string): string[] {
  if (!email) return ['is required'];
  if (email.length > 254 || !EMAIL.test(email)) return ['must be a valid email address'];
  return [];
}

/** bcrypt reads at most 72 bytes, so longer passwords are refused instead of silently truncated. */
export function passwordProblems(password: string): string[] {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < 8) return ['must be at least 8 bytes'];
  if (bytes > 72) return ['must be at most 72 bytes'];
  return [];
}

export const UNIQUE_INDEXES = {
  email: 'users_email_unique',
  nickname: 'users_nickname_key_unique',
  kakaoId: 'users_kakao_id_unique',
} as const;

/** Which unique index of `users` a duplicate-key error hit (MySQL names it `users.<index>`, MariaDB `<index>`). */
export function violatedIndex(err: unknown): keyof typeof UNIQUE_INDEXES | null {
  if (!(err instanceof UniqueConstraintViolationException)) return null;
  // "Duplicate entry '…' for key 'users_email_unique'" (MariaDB) or "… for key 'users.users_email_unique'" (MySQL 8);
  // read the key name after "for key", as the duplicate value itself may look like an index name.
  const key = [...err.message.matchAll(/for key '(?:[^'.]*\.)?([^']+)'/g)].at(-1)?.[1];
  for (const [field, index] of Object.entries(UNIQUE_INDEXES)) if (key === index) return field as keyof typeof UNIQUE_INDEXES;
  return null;
}

/** Maps a duplicate email / nickname to the public CONFLICT; anything else is rethrown unchanged. */
export function mapDuplicate(err: unknown): never {
  const field = violatedIndex(err);
  if (field === 'email') throw conflict('EMAIL_TAKEN', 'An account with this email already exists.');
  if (field === 'nickname') throw conflict('NICKNAME_TAKEN', 'This nickname is taken.');
  throw err;
}
