import { describe, expect, it } from 'vitest';
import { CombinedGraphQLErrors } from '@apollo/client';
import i18n from '../i18n';
import { describeError } from './errors';
import { check, FORMS } from './validate';

const gqlError = (message: string, extensions: Record<string, unknown>) =>
  new CombinedGraphQLErrors({ data: null, errors: [{ message, extensions }] });

describe('error mapper', () => {
  const ko = i18n.getFixedT('ko');
  const en = i18n.getFixedT('en');

  it('maps field rules to sentences in the reader language, never the server English', () => {
    const err = gqlError('The input is not valid.', {
      code: 'BAD_USER_INPUT',
      fields: { password: ['must be at least 8 characters'], nickname: ['is required'] },
      fieldRules: { password: [{ rule: 'TOO_SHORT', min: 8 }], nickname: [{ rule: 'REQUIRED' }] },
    });
    const d = describeError(err, ko);
    expect(d.fields.password).toEqual(['비밀번호는 8자 이상이어야 해요.']);
    expect(d.fields.nickname).toEqual(['꼭 입력해 주세요.']);
    expect(JSON.stringify(d)).not.toMatch(/must be|is required|not valid/);
    expect(describeError(err, en).fields.password).toEqual(['The password needs at least 8 characters.']);
    expect(d.retryable).toBe(false);
  });

  it('a field without rules (an older server) gets a generic sentence, not the English message', () => {
    const d = describeError(gqlError('The input is not valid.', { code: 'BAD_USER_INPUT', fields: { title: ['must not be blank'] } }), ko);
    expect(d.fields.title).toEqual(['이 값을 확인해 주세요.']);
  });

  it('words "switched off" differently from "not answering", and hides retry for the first', () => {
    const off = describeError(
      gqlError('Weather observations are not configured.', { code: 'SERVICE_UNAVAILABLE', reason: 'NOT_CONFIGURED' }),
      ko,
      {
        feature: 'weather',
      },
    );
    const down = describeError(gqlError('KMA is not answering.', { code: 'SERVICE_UNAVAILABLE', reason: 'UPSTREAM_UNAVAILABLE' }), ko, {
      feature: 'weather',
    });
    expect(off.message).toBe('이 서버에서는 날씨 관측을 켜지 않았어요.');
    expect(off.retryable).toBe(false);
    expect(down.message).toBe('기상청이 응답하지 않아요. 잠시 후 다시 해 보세요.');
    expect(down.retryable).toBe(true);
    expect(describeError(gqlError('x', { code: 'SERVICE_UNAVAILABLE', reason: 'DEPENDENCY_DOWN' }), ko).message).toContain('서버가 잠시');
  });

  it('CONFLICT reasons and RATE_LIMITED seconds come from the catalogue; unknown reasons fall back to the code', () => {
    expect(
      describeError(gqlError('An account with this email already exists.', { code: 'CONFLICT', reason: 'EMAIL_TAKEN' }), ko).message,
    ).toBe('이미 가입된 이메일이에요. 로그인해 보세요.');
    expect(describeError(gqlError('nope', { code: 'CONFLICT', reason: 'SOMETHING_NEW' }), ko).message).toBe(
      '이미 처리되었거나 다른 변경과 겹쳤어요.',
    );
    expect(describeError(gqlError('slow down', { code: 'RATE_LIMITED', retryAfterSeconds: 7 }), ko).message).toContain('7초');
  });

  it('masked errors keep the request id and show no server text', () => {
    const d = describeError(gqlError('Internal server error (request abc).', { code: 'INTERNAL_SERVER_ERROR', requestId: 'abc' }), ko);
    expect(d.message).toBe('서버에 문제가 생겼어요. 잠시 후 다시 해 보세요.');
    expect(d.requestId).toBe('abc');
  });
});

describe('form checks before sending', () => {
  it('counts the password in characters (8 at least) and bytes (72 at most, bcrypt)', () => {
    expect(check(FORMS.signUp, { email: 'a@b.co', password: '가나다', nickname: '비구름' }).password).toEqual([
      { rule: 'TOO_SHORT', min: 8 },
    ]);
    expect(check(FORMS.signUp, { email: 'a@b.co', password: '가나다라마바사아', nickname: '비구름' })).toEqual({});
    expect(check(FORMS.signUp, { email: 'a@b.co', password: '가'.repeat(25), nickname: '비구름' }).password).toEqual([
      { rule: 'TOO_LONG', max: 72 },
    ]);
  });

  it('checks nickname length in characters and its letters', () => {
    expect(check(FORMS.signUp, { email: 'a@b.co', password: 'x'.repeat(8), nickname: '비' }).nickname).toEqual([
      { rule: 'TOO_SHORT', min: 2, max: 20 },
    ]);
    expect(check(FORMS.signUp, { email: 'a@b.co', password: 'x'.repeat(8), nickname: '!!' }).nickname).toEqual([
      { rule: 'INVALID_FORMAT' },
    ]);
    expect(check(FORMS.signUp, { email: 'nope', password: '', nickname: '' })).toEqual({
      email: [{ rule: 'INVALID_FORMAT' }],
      password: [{ rule: 'REQUIRED' }],
      nickname: [{ rule: 'REQUIRED' }],
    });
  });
});
