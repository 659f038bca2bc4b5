import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config.js';
import { dependencyFailure, type DependencyName } from '../dependencies/failures.js';
import { AppError } from '../errors.js';
import type { AuthUser, Context, ContextInput } from '../graphql/context.js';
import { formatError } from '../graphql/format-error.js';
import type { Logger } from '../logger.js';
import { Frames } from './frames.js';
import { subscribeWithFreshContext } from './fresh-context.js';
import { SharedEvents } from './shared-events.js';
import { clientIp } from './request.js';
import { GRAPHQL_PATH } from './router.js';

/**
 * Close codes this server uses besides graphql-ws's own (4400-4499):
 * - 1012 Service Restart: the process is shutting down; reconnect (the load balancer sends you elsewhere).
 *   graphql-ws clients retry it.
 * - 1000 Normal Closure, reason "idle": an anonymous socket ran no operation for WS_ANONYMOUS_IDLE_SECONDS.
 *   graphql-ws clients reconnect only when they next have an operation to run.
 * - 4401: the access token in `connectionParams` is not valid.
 * Refused upgrades are plain HTTP answers: 429 (WS_MAX_PER_IP), 503 (WS_MAX_CONNECTIONS, or shutting down).
 */
export const CLOSE_RESTART = 1012;
export const CLOSE_IDLE = 1000;
const CLOSE_TIMEOUT_MS = 1000;

type Extra = { socket: WebSocket; request: IncomingMessage; user?: AuthUser | null; ip?: string };

export interface GraphqlWsOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  config: Config;
  logger: Logger;
  validationRules: readonly ValidationRule[];
  authenticate(authorization: string | undefined | null): AuthUser | null;
  buildContext(input: ContextInput): Context;
  onDependencyFailure(name: DependencyName | 'unknown'): void;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n`);
}

/** graphql-ws on the HTTP server's upgrades at /graphql, with connection limits and an idle timeout for anonymous sockets. */
export function createGraphqlWs(options: GraphqlWsOptions) {
  const { config, logger, schema } = options;
  const wsServer = new WebSocketServer({ noServer: true });
  const frames = new Frames({ slowBytes: config.WS_SLOW_CONSUMER_BYTES, slowForMs: config.WS_SLOW_CONSUMER_MS });
  // Before graphql-ws's own handler: every socket sends shared frames and is watched for falling behind.
  wsServer.on('connection', (ws: WebSocket) => frames.attach(ws));
  const perIp = new Map<string, number>();
  let total = 0;
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '/').split('?')[0] !== GRAPHQL_PATH) return refuse(socket, 400, 'Bad Request');
    if (closing || total >= config.WS_MAX_CONNECTIONS) return refuse(socket, 503, 'Service Unavailable');
    const ip = clientIp(req, config.TRUST_PROXY);
    const fromIp = perIp.get(ip) ?? 0;
    if (fromIp >= config.WS_MAX_PER_IP) return refuse(socket, 429, 'Too Many Requests');
    // Counted from the upgrade request on, released when the TCP socket closes, handshake refused or not.
    total += 1;
    perIp.set(ip, fromIp + 1);
    socket.once('close', () => {
      total -= 1;
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    });
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  };
  options.httpServer.on('upgrade', onUpgrade);

  // Anonymous sockets past connection_init, with when they last ran an operation; swept on one timer for all.
  const anonymous = new Map<WsContext<Record<string, unknown>, Extra>, number>();
  const idleMs = config.WS_ANONYMOUS_IDLE_SECONDS * 1000;
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [ctx, lastActive] of anonymous) {
        if (Object.keys(ctx.subscriptions).length > 0) anonymous.set(ctx, now);
        else if (now - lastActive >= idleMs) {
          anonymous.delete(ctx);
          ctx.extra.socket.close(CLOSE_IDLE, 'idle');
        }
      }
    },
    Math.min(1000, idleMs / 2),
  );
  sweep.unref();

  const rules = [...specifiedRules, ...options.validationRules, ...(config.isProduction ? [NoSchemaIntrospectionCustomRule] : [])];
  const formatResult = (result: ExecutionResult, requestId: string): ExecutionResult => {
    if (!result.errors) return result;
    const errors = result.errors.map((e) => {
      const formatted = formatError(e.toJSON(), e, requestId);
      const original = unwrapResolverError(e);
      const dependency = dependencyFailure(original);
      if (dependency && !(original instanceof AppError)) options.onDependencyFailure(dependency);
      else if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: original, requestId }, 'unexpected error');
      return formatted as GraphQLError;
    });
    return { ...result, errors };
  };

  const cleanup = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      subscribe: subscribeWithFreshContext(new SharedEvents((result) => frames.share(result))),
      jsonMessageReplacer: frames.replacer,
      onConnect: (ctx) => {
        try {
          const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
          ctx.extra.user = options.authenticate(typeof auth === 'string' ? auth : null);
          ctx.extra.ip = clientIp(ctx.extra.request, config.TRUST_PROXY);
        } catch (err) {
          ctx.extra.socket.close(4401, err instanceof AppError ? err.message.slice(0, 120) : 'Unauthorized');
          return false;
        }
        if (!ctx.extra.user) anonymous.set(ctx, Date.now());
        return true;
      },
      onClose: (ctx) => void anonymous.delete(ctx),
      onSubscribe: (ctx, _id, payload) => {
        if (anonymous.has(ctx)) anonymous.set(ctx, Date.now());
        try {
          // Parsed and validated once, here (graphql-ws would parse again without our limits otherwise).
          const document = parse(payload.query, { maxTokens: config.GRAPHQL_MAX_TOKENS });
          const errors = validate(schema, document, rules);
          if (errors.length) return errors.map((e) => formatError(e.toJSON(), e) as GraphQLError);
          return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('Invalid query')];
        }
      },
      context: (ctx) =>
        options.buildContext({ requestId: randomUUID(), user: ctx.extra.user ?? null, ip: ctx.extra.ip ?? 'unknown', transport: 'ws' }),
      onNext: (_ctx, _id, _payload, args, result) => formatResult(result as ExecutionResult, (args.contextValue as Context).requestId),
      // A stream that ends with an error (e.g. CONFLICT RESUME_GAP from a replay) carries its code like any other error.
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e.originalError ?? e)),
    },
    wsServer,
  );

  return {
    /** Open sockets (tests, diagnostics). */
    get connections() {
      return total;
    },
    /** Refuses new sockets and closes open ones with 1012, so clients reconnect to another instance. */
    async close(): Promise<void> {
      closing = true;
      clearInterval(sweep);
      const sockets = [...wsServer.clients];
      const closed = sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      for (const socket of sockets) socket.close(CLOSE_RESTART, 'server restarting; reconnect');
      const timer = setTimeout(() => sockets.forEach((socket) => socket.terminate()), CLOSE_TIMEOUT_MS);
      await Promise.all(closed);
      clearTimeout(timer);
      await cleanup.dispose();
      options.httpServer.off('upgrade', onUpgrade);
    },
  };
}
