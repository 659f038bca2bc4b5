import type { Config } from '../../app/config.js';
import type { ModuleParts } from '../../app/module.js';
import { graphiqlRoutes } from './graphiql.route.js';

/** The GraphQL IDE page outside production. */
export function createWebModule(deps: { config: Config }) {
  return { routes: graphiqlRoutes(deps.config) } satisfies ModuleParts & Record<string, unknown>;
}
