import type { ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { DependencyName } from '../dependencies/failures.js';
import { AppError, ErrorCode } from '../errors.js';
import type { AuthUser, Context, ContextInput } from '../graphql/context.js';
import { errorPlugin, formatError } from '../graphql/format-error.js';
import type { Logger } from '../logger.js';
import { readBody } from './body.js';
import { HttpError, RETRY_AFTER_SECONDS, type Request } from './request.js';

const JSON_LIMIT = 1024 * 1024;

/**
 * Depth, alias, directive and cost limits as validation rules (so HTTP and WebSocket share them). The token limit is
 * graphql-js's own `maxTokens` parse option instead of armor's Apollo plugin, which parses in a plugin hook where
 * every syntax error became a 500.
 */
export function armorFor(config: Config) {
  return new ApolloArmor({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST },
    blockFieldSuggestion: { enabled: config.isProduction },
  }).protect();
}

export const SUBSCRIPTION_OVER_HTTP = 'Subscriptions are served over WebSocket (graphql-ws, `graphql-transport-ws`) at /graphql.';

/**
 * The HTTP status says what the body says: a subscription asked over HTTP is the caller's mistake (400), and an answer
 * whose every error is a store being unreachable, with no data, failed as a whole (503, retry shortly).
 */
function statusPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(SUBSCRIPTION_OVER_HTTP, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.length || !errors.every((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}

export interface GraphqlHttpOptions {
  schema: GraphQLSchema;
  config: Config;
  logger: Logger;
  authenticate(authorization: string | undefined | null): AuthUser | null;
  buildContext(input: ContextInput): Context;
  onDependencyFailure(name: DependencyName | 'unknown'): void;
}

/** Apollo Server behind our own node:http server: the handler reads the body, builds the context, writes the answer. */
export async function createGraphqlHttp(options: GraphqlHttpOptions) {
  const { config, logger } = options;
  const armor = armorFor(config);
  const apollo = new ApolloServer<Context>({
    schema: options.schema,
    formatError,
    introspection: !config.isProduction,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, statusPlugin(), errorPlugin(logger, options.onDependencyFailure), ApolloServerPluginLandingPageDisabled()],
    // The process's own shutdown stops Apollo after HTTP has drained; Apollo's signal handlers would stop it first.
    stopOnTerminationSignals: false,
    logger,
  });
  await apollo.start();

  const handle = async (req: Request, res: ServerResponse) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, JSON_LIMIT);
      const type = headers.get('content-type') ?? '';
      if (type.startsWith('application/json') || type.startsWith('application/graphql-response+json')) {
        try {
          body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
        } catch {
          throw new HttpError(400, 'BAD_USER_INPUT', 'The request body is not valid JSON.');
        }
      }
    }
    const url = req.url ?? '/';
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.includes('?') ? url.slice(url.indexOf('?')) : '', body },
      context: async () => {
        let user: AuthUser | null;
        try {
          user = options.authenticate(req.headers.authorization);
        } catch (err) {
          const message = err instanceof AppError ? err.message : 'The access token is not valid.';
          throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
        return options.buildContext({ requestId: req.requestId, user, ip: req.ip, transport: 'http' });
      },
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return { handle, armor, stop: () => apollo.stop() };
}
