import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { TEST_DB_PREFIX, TEST_REDIS_PREFIX, testBaseUrls } from './test-config';

export default async function globalTeardown() {
  const runId = process.env.WW_TEST_RUN_ID!;
  const { mysql, redis } = testBaseUrls();
  const url = new URL(mysql);
  const conn = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: url.username || 'root' });
  const [rows] = await conn.query('SHOW DATABASES LIKE ?', [`${TEST_DB_PREFIX}${runId}\\_%`]);
  for (const row of rows as Record<string, string>[]) await conn.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
  await conn.end();

  const client = new Redis(redis);
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${TEST_REDIS_PREFIX}${runId}:*`, 'COUNT', 1000);
    if (keys.length) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await client.quit();
}
