import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { AdmissionGate } from './admission.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import type { AuthUser, Context } from './graphql/context.js';
import { createContextFactory } from './graphql/context.js';
import { errorPlugin, formatError } from './graphql/format-error.js';
import { clientIp, HttpError, matchRoute, readBody, requestIdOf, sendJson, serveStatic, type Request, type Route } from './http.js';
import type { Infra } from './infra.js';
import type { GraphQLSchema } from 'graphql';

export interface ApiParts {
  infra: Infra;
  schema: GraphQLSchema;
  authenticate(authorization: string | undefined | null): AuthUser | null;
  readiness(): Promise<boolean>;
  routes: Route[];
}

export interface RunningApi {
  url: string;
  port: number;
  httpServer: Server;
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const JSON_LIMIT = 1024 * 1024;

function armorFor(config: Config) {
  return new ApolloArmor({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxTokens: { n: config.GRAPHQL_MAX_TOKENS },
    maxDirectives: { n: 50 },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST },
    blockFieldSuggestion: { enabled: config.isProduction },
  }).protect();
}

/** HTTP + graphql-ws on one port and path; the process's composition root wires `parts`. */
export async function startApi(parts: ApiParts, port: number, host: string): Promise<RunningApi> {
  const { infra, schema } = parts;
  const { config, logger } = infra;
  const buildContext = createContextFactory(infra.orm);
  const armor = armorFor(config);
  const staticFiles = config.WEB_DIST_DIR ? serveStatic(config.WEB_DIST_DIR) : null;
  const gate = new AdmissionGate({
    maxActive: config.HTTP_MAX_ACTIVE,
    maxQueued: config.HTTP_MAX_QUEUED,
    releaseAfterMs: config.HTTP_RELEASE_AFTER_MS,
  });

  const httpServer = createServer();
  // Idle keep-alive connections stay open longer than a proxy's or client pool's idle timeout (nginx, load balancers:
  // 60 s). With Node's 5 s default the server closes a socket just as a client reuses it: "socket hang up".
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    introspection: !config.isProduction,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    validationRules: armor.validationRules,
    plugins: [
      ...armor.plugins,
      errorPlugin(logger),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
    ],
    logger,
  });
  await apollo.start();

  const builtinRoutes: Route[] = [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: async (_req, res) => {
        const ready = await parts.readiness();
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
      },
    },
  ];
  const routes = [...builtinRoutes, ...parts.routes];

  const handleGraphql = async (req: Request, res: import('node:http').ServerResponse) => {
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
          user = parts.authenticate(req.headers.authorization);
        } catch (err) {
          const message = err instanceof AppError ? err.message : 'The access token is not valid.';
          throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
        return buildContext({ requestId: req.requestId, user, ip: req.ip, transport: 'http' });
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

  httpServer.on('request', (rawReq, res) => {
    const started = process.hrtime.bigint();
    const req = rawReq as Request;
    req.requestId = requestIdOf(req);
    req.ip = clientIp(req, config.TRUST_PROXY);
    res.setHeader('x-request-id', req.requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { requestId: req.requestId, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      try {
        if (path === GRAPHQL_PATH) {
          // Bearer tokens, no cookies: any origin may call the API.
          res.setHeader('access-control-allow-origin', '*');
          if (req.method === 'OPTIONS') return void res.writeHead(204, PREFLIGHT).end();
          const leave = await gate.enter();
          try {
            return await handleGraphql(req, res);
          } finally {
            leave();
          }
        }
        const match = matchRoute(routes, req.method ?? 'GET', path);
        if (match) return await match[0].handle(req, res, match[1]);
        if (req.method === 'GET' && staticFiles?.(path, res)) return;
        sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'No such path.' } });
      } catch (err) {
        if (res.headersSent) return void res.destroy();
        if (err instanceof HttpError) return sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
        logger.error({ err, requestId: req.requestId }, 'request failed');
        sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: `Internal server error (request ${req.requestId}).` } });
      }
    })();
  });

  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const wsRules = [...specifiedRules, ...armor.validationRules, ...(config.isProduction ? [NoSchemaIntrospectionCustomRule] : [])];
  const formatResult = (result: ExecutionResult, requestId: string): ExecutionResult => {
    if (!result.errors) return result;
    const errors = result.errors.map((e) => {
      const formatted = formatError(e.toJSON(), e, requestId);
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR')
        logger.error({ err: unwrapResolverError(e), requestId }, 'unexpected error');
      return formatted as GraphQLError;
    });
    return { ...result, errors };
  };
  const wsCleanup = useServer<Record<string, unknown>, { user?: AuthUser | null; ip?: string }>(
    {
      schema,
      onConnect: (ctx) => {
        try {
          const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
          ctx.extra.user = parts.authenticate(typeof auth === 'string' ? auth : null);
          ctx.extra.ip = clientIp(ctx.extra.request, config.TRUST_PROXY);
          return true;
        } catch (err) {
          ctx.extra.socket.close(4401, err instanceof AppError ? err.message.slice(0, 120) : 'Unauthorized');
          return false;
        }
      },
      onSubscribe: (_ctx, _id, payload) => {
        try {
          const document = parse(payload.query, { maxTokens: config.GRAPHQL_MAX_TOKENS });
          const errors = validate(schema, document, wsRules);
          return errors.length ? errors.map((e) => formatError(e.toJSON(), e) as GraphQLError) : undefined;
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('Invalid query')];
        }
      },
      context: (ctx) =>
        buildContext({ requestId: randomUUID(), user: ctx.extra.user ?? null, ip: ctx.extra.ip ?? 'unknown', transport: 'ws' }),
      onNext: (_ctx, _id, _payload, args, result) => formatResult(result as ExecutionResult, (args.contextValue as Context).requestId),
      // A stream that ends with an error (e.g. CONFLICT RESUME_GAP from a replay) carries its code like any other error.
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e.originalError ?? e)),
    },
    wsServer,
  );

  await new Promise<void>((resolveListen) => httpServer.listen(port, host, resolveListen));
  const actualPort = (httpServer.address() as AddressInfo).port;
  logger.info({ port: actualPort, instanceId: infra.instanceId }, 'api listening');

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actualPort}${GRAPHQL_PATH}`,
    port: actualPort,
    httpServer,
    stop: () =>
      (stopping ??= (async () => {
        // Going Away (1001) tells clients to reconnect elsewhere.
        for (const socket of wsServer.clients) socket.close(1001, 'Server shutting down');
        await wsCleanup.dispose();
        await apollo.stop(); // stops accepting, drains in-flight HTTP requests
        httpServer.closeAllConnections();
      })()),
  };
}

const PREFLIGHT = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id',
  'access-control-max-age': '600',
};
