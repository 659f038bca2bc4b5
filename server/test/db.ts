import type { Infra } from '../src/app/infra';

/** Truncates every table but the migrations' and deletes this worker's Redis keys. Test-only. */
export async function resetStores(infra: Pick<Infra, 'orm' | 'redis' | 'config'>): Promise<void> {
  if (infra.config.NODE_ENV !== 'test') throw new Error('resetStores is for tests only');
  const conn = infra.orm.em.getConnection();
  const tables: { name: string }[] = await conn.execute(
    "select table_name as name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE' and table_name <> 'mikro_orm_migrations'",
  );
  if (tables.length) {
    // A transaction pins one connection, so the session variable covers every TRUNCATE.
    await conn.getKnex().transaction(async (trx) => {
      await trx.raw('set foreign_key_checks = 0');
      for (const t of tables) await trx.raw(`truncate table \`${t.name}\``);
      await trx.raw('set foreign_key_checks = 1');
    });
  }
  const prefix = infra.config.REDIS_PREFIX;
  const redis = infra.redis.publisher; // has no keyPrefix, so SCAN patterns and UNLINK see raw keys
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
