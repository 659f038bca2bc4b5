import { MikroORM, type Options } from '@mikro-orm/mysql';
import type { MigrationObject } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { createConnection } from 'mysql2/promise';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

export interface OrmOptions {
  entities: Function[];
  migrations: MigrationObject[];
  logger?: Logger;
  /** Called with every SQL statement (the N+1 tests count them). */
  onQuery?: (sql: string) => void;
}

export function ormConfig(config: Config, options: OrmOptions): Options {
  const url = new URL(config.DATABASE_URL);
  return {
    clientUrl: `mysql://${url.host}`,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password) || undefined,
    dbName: databaseName(config),
    entities: options.entities,
    extensions: [Migrator],
    // Fail fast while MySQL is away: a dead server refuses at once (knex propagates the failed create to the waiting
    // request), an unreachable one costs at most the connect timeout, a pool that cannot serve at most the acquire timeout.
    pool: { min: 0, max: config.DATABASE_POOL_SIZE, acquireTimeoutMillis: config.DATABASE_ACQUIRE_TIMEOUT_MS },
    driverOptions: { connection: { connectTimeout: config.DATABASE_CONNECT_TIMEOUT_MS } },
    timezone: '+00:00',
    forceUtcTimezone: true,
    // Never sync the schema from entities: migrations are the only way the schema changes.
    schemaGenerator: { disableForeignKeys: false },
    migrations: {
      migrationsList: options.migrations,
      transactional: false, // MySQL commits DDL implicitly; each migration must be safe to re-run instead
      allOrNothing: false,
      snapshot: false,
      tableName: 'mikro_orm_migrations',
    },
    discovery: { warnWhenNoEntities: false },
    debug: !!options.onQuery,
    logger: options.onQuery ?? ((msg) => options.logger?.debug(msg)),
    ensureIndexes: false,
    allowGlobalContext: false,
  };
}

/** Creates the database when missing, connects, and applies pending migrations. */
export async function createOrm(config: Config, options: OrmOptions & { migrate?: boolean }): Promise<MikroORM> {
  const admin = await adminConnection(config);
  try {
    const dbName = databaseName(config);
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const orm = await MikroORM.init(ormConfig(config, options));
    if (options.migrate === false) return orm;
    // API and worker may start together: a named lock makes the second wait instead of migrating twice.
    await admin.query('SELECT GET_LOCK(?, 120)', [`${dbName}.migrations`]);
    try {
      await orm.getMigrator().up();
    } catch (err) {
      await orm.close(true);
      throw err;
    } finally {
      await admin.query('SELECT RELEASE_LOCK(?)', [`${dbName}.migrations`]);
    }
    return orm;
  } finally {
    await admin.end();
  }
}

export function databaseName(config: Config): string {
  const dbName = new URL(config.DATABASE_URL).pathname.slice(1) || 'weatherwise';
  if (!/^\w+$/.test(dbName)) throw new Error(`Database name "${dbName}" must be letters, digits and _`);
  return dbName;
}

/** A connection to the server without a database: to create, lock and (in tests) drop databases. */
export function adminConnection(config: Config) {
  const url = new URL(config.DATABASE_URL);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password) || undefined,
    connectTimeout: config.DATABASE_CONNECT_TIMEOUT_MS,
  });
}
