import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from '../../app/errors';
import {
  emailProblems,
  mapDuplicate,
  nicknameKey,
  nicknameProblems,
  normalizeEmail,
  normalizeNickname,
  passwordProblems,
  violatedIndex,
} from './user.rules';

const dup = (message: string) => new UniqueConstraintViolationException(Object.assign(new Error(message), { code: 'ER_DUP_ENTRY' }));

describe('account rules', () => {
  it('accepts nicknames of 2-20 letters (Hangul included), digits and _', () => {
    for (const ok of ['ab', '김하늘', 'Rain_Maker_2026', 'é_ñ', 'a'.repeat(20), '비_1'])
      expect(nicknameProblems(normalizeNickname(ok))).toEqual([]);
    expect(nicknameProblems('a')).toEqual(['must be 2 to 20 characters']);
    expect(nicknameProblems('a'.repeat(21))).toEqual(['must be 2 to 20 characters']);
    for (const bad of ['a b', 'a-b', 'hi!', 'x😀', 'ab.'])
      expect(nicknameProblems(bad)).toEqual(['may contain only letters, digits and _']);
  });

  it('counts characters after NFC, so decomposed Hangul is not longer than composed', () => {
    const decomposed = '하늘'.normalize('NFD').repeat(10); // 20 syllables, 50 code points before NFC
    expect(nicknameProblems(normalizeNickname(decomposed))).toEqual([]);
  });

  it('keys nicknames case-insensitively after NFC', () => {
    expect(nicknameKey('Foo')).toBe(nicknameKey('foo'));
    expect(nicknameKey('Ｆoo')).not.toBe(nicknameKey('foo')); // full-width is another letter, not a case variant
    expect(nicknameKey('Café'.normalize('NFD'))).toBe(nicknameKey('CAFÉ'));
    expect(nicknameKey('하늘'.normalize('NFD'))).toBe('하늘');
  });

  it('normalises emails and checks their shape', () => {
    expect(normalizeEmail('  Kim@Example.COM ')).toBe('kim@example.com');
    expect(emailProblems('kim@example.com')).toEqual([]);
    expect(emailProblems('')).toEqual(['is required']);
    expect(emailProblems('kim@')).toEqual(['must be a valid email address']);
  });

  it('limits passwords to 8-72 bytes of UTF-8', () => {
    expect(passwordProblems('1234567')).toEqual(['must be at least 8 bytes']);
    expect(passwordProblems('12345678')).toEqual([]);
    expect(passwordProblems('가'.repeat(24))).toEqual([]); // 72 bytes
    expect(passwordProblems('가'.repeat(25))).toEqual(['must be at most 72 bytes']); // 25 characters, 75 bytes
  });

  it('tells which unique index a duplicate hit, by the key name after "for key"', () => {
    expect(violatedIndex(dup("Duplicate entry 'foo' for key 'users_nickname_key_unique'"))).toBe('nickname');
    expect(violatedIndex(dup("Duplicate entry 'a@b.kr' for key 'users.users_email_unique'"))).toBe('email');
    // A nickname that looks like an index name does not fool it.
    expect(violatedIndex(dup("Duplicate entry 'users_email_unique' for key 'users_nickname_key_unique'"))).toBe('nickname');
    expect(violatedIndex(new Error("Duplicate entry 'x' for key 'users_email_unique'"))).toBeNull();
  });

  it('maps duplicates to CONFLICT with a reason and rethrows anything else', () => {
    const conflictOf = (err: unknown) => {
      try {
        mapDuplicate(err);
      } catch (e) {
        return e;
      }
    };
    const taken = conflictOf(dup("Duplicate entry 'foo' for key 'users_nickname_key_unique'")) as AppError;
    expect(taken).toBeInstanceOf(AppError);
    expect([taken.code, taken.reason]).toEqual(['CONFLICT', 'NICKNAME_TAKEN']);
    const other = new Error('boom');
    expect(conflictOf(other)).toBe(other);
  });
});
