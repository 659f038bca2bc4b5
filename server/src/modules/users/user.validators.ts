import { Rule } from '../../app/graphql/validators.js';
import { emailProblems, nicknameProblems, normalizeEmail, normalizeNickname, passwordProblems } from './user.rules.js';

const first = (problems: string[]) => problems[0] ?? null;

/** A nickname that keeps the nickname rules once normalised (trimmed, NFC), as it is stored. */
export const IsNickname = () =>
  Rule('nickname', (v) => (typeof v === 'string' ? first(nicknameProblems(normalizeNickname(v))) : 'must be text'));

/** An email address once normalised (trimmed, lower case). */
export const IsEmailAddress = () =>
  Rule('emailAddress', (v) => (typeof v === 'string' ? first(emailProblems(normalizeEmail(v))) : 'must be text'));

/** A password of 8 to 72 bytes in UTF-8 (what bcrypt reads). */
export const IsPassword = () => Rule('password', (v) => (typeof v === 'string' ? first(passwordProblems(v)) : 'must be text'));
