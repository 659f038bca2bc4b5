import { ConnectionException } from '@mikro-orm/core';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../../test/own-servers';
import { AppError, ErrorCode } from '../errors';
import { dependencyFailure } from './failures';

/** The rejection of `run`, which must reject. */
async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('dependencyFailure', () => {
  it('recognises what the real clients throw when their server is not there', async () => {
    const port = await freePort(); // nothing listens on it
    const refusedMysql = await failureOf(() => createConnection({ host: '127.0.0.1', port, connectTimeout: 1000 }));
    // Without an offline queue a command fails at once while there is no connection (connect() is not called here:
    // a refused connect leaves ioredis' connect timer running for 10 s).
    const offline = new Redis({ port, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    offline.on('error', () => undefined);
    const notWritable = await failureOf(() => offline.get('k'));
    offline.disconnect();

    expect(dependencyFailure(notWritable)).toBe('redis');
    // A bare mysql2 socket error says nothing of which store it was; MikroORM's wrapper (and knex's) does.
    expect(dependencyFailure(refusedMysql)).not.toBeNull();
    expect(dependencyFailure(new ConnectionException(refusedMysql as Error))).toBe('mysql');
  });

  it('recognises the messages of a connection that died under a command', () => {
    const knexTimeout = Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
      name: 'KnexTimeoutError',
    });
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });
    const closedState = new Error("Can't add new command when connection is in closed state");
    const redisTimeout = new Error('Command timed out');
    for (const error of [knexTimeout, lost, closedState]) expect(dependencyFailure(error)).toBe('mysql');
    expect(dependencyFailure(redisTimeout)).toBe('redis');
  });

  it('looks through cause and originalError, and ignores everything else', () => {
    const wrapped = Object.assign(new Error('resolver failed'), {
      originalError: new Error('x', { cause: new Error('Connection is closed.') }),
    });
    expect(dependencyFailure(wrapped)).toBe('redis');
    expect(dependencyFailure(new Error('Cannot read properties of undefined'))).toBeNull();
    expect(dependencyFailure(new AppError(ErrorCode.NOT_FOUND, 'The post was not found.'))).toBeNull();
    expect(dependencyFailure('a string')).toBeNull();
  });
});
