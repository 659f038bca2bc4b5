import 'reflect-metadata';
import type { Config } from '../src/app/config';
import { buildApiApp, type ApiApp } from '../src/main.api';
import { gql, gqlOk } from './graphql';
import { resetStores } from './db';
import { testConfig } from './test-config';

export interface TestApi {
  app: ApiApp;
  config: Config;
  url: string;
  port: number;
  infra: ApiApp['infra'];
  modules: ApiApp['modules'];
  gql: (query: string, variables?: Record<string, unknown>, token?: string) => ReturnType<typeof gql>;
  gqlOk: <T = any>(query: string, variables?: Record<string, unknown>, token?: string) => Promise<T>;
  /** Empties every table and this worker's Redis keys. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** A real API on a random port over this Jest worker's database and Redis prefix. */
export async function startTestApi(
  overrides: Record<string, string> = {},
  options: { onQuery?: (sql: string) => void } = {},
): Promise<TestApi> {
  const config = testConfig(overrides);
  const app = await buildApiApp(config, options);
  const running = await app.start(0);
  return {
    app,
    config,
    url: running.url,
    port: running.port,
    infra: app.infra,
    modules: app.modules,
    gql: (query, variables, token) => gql(running.url, query, variables, { token }),
    gqlOk: (query, variables, token) => gqlOk(running.url, query, variables, token),
    reset: () => resetStores(app.infra),
    stop: () => app.stop(),
  };
}
