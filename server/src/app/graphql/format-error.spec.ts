import { GraphQLError } from 'graphql';
import { AppError, ErrorCode } from '../errors';
import { formatError as format } from './format-error';
const wrap = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ['x'] });

describe('formatError', () => {
  it('passes domain errors through with their extensions', () => {
    const err = new AppError(ErrorCode.CONFLICT, 'Taken.', { reason: 'NICKNAME_TAKEN' });
    expect(format(wrap(err).toJSON(), wrap(err))).toMatchObject({
      message: 'Taken.',
      extensions: { code: 'CONFLICT', reason: 'NICKNAME_TAKEN' },
    });
  });

  it('masks unknown errors, with the request id and no SQL or stack', () => {
    const err = wrap(new Error("ER_DUP_ENTRY: Duplicate entry 'x' for key 'users_email_unique' in insert into users"));
    const out = format(err.toJSON(), err, 'req-12345678');
    expect(out.message).toBe('Internal server error (request req-12345678).');
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-12345678' });
    expect(JSON.stringify(out)).not.toMatch(/insert|Duplicate|stack/i);
  });

  it('answers a store being unreachable as SERVICE_UNAVAILABLE with reason DEPENDENCY_DOWN, without its details', () => {
    const lost = Object.assign(new Error('Connection lost: The server closed the connection. (127.0.0.1:3306)'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });
    const err = wrap(new Error('query failed', { cause: lost }));
    const out = format(err.toJSON(), err, 'req-12345678');
    expect(out).toEqual({
      message: expect.any(String),
      path: ['x'],
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'DEPENDENCY_DOWN' },
    });
    expect(out.message).not.toMatch(/127\.0\.0\.1|3306|closed/);
  });

  it("normalises type-graphql's UNAUTHORIZED to FORBIDDEN", () => {
    const err = new GraphQLError('Access denied!', { extensions: { code: 'UNAUTHORIZED' } });
    expect(format(err.toJSON(), err).extensions).toEqual({ code: 'FORBIDDEN' });
  });
});
