import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { AdmissionGate } from './admission.js';
import { DEPENDENCY_DOWN_MESSAGE } from '../graphql/format-error.js';
import { clientIp, HttpError, requestIdOf, RETRY_AFTER_SECONDS, sendJson, type Request, type Route } from './request.js';

export const GRAPHQL_PATH = '/graphql';

export type Readiness = { status: 'ready' } | { status: 'unavailable'; reason: 'SHUTTING_DOWN' | 'DEPENDENCY_DOWN'; down?: string[] };

export interface RouterOptions {
  logger: Logger;
  trustProxy: boolean;
  /** Module routes (uploads, exports, the IDE), after the built-in health routes. */
  routes: readonly Route[];
  /** GraphQL over HTTP, reached through the admission gate. */
  graphql(req: Request, res: ServerResponse): Promise<void>;
  gate: AdmissionGate;
  staticFiles: ((path: string, res: ServerResponse) => boolean) | null;
  readiness(): Readiness;
  /** True once shutdown began: every answer then closes its connection. */
  draining(): boolean;
  /** Whether a thrown value is a store being unreachable (noted for readiness); answered 503 rather than 500. */
  isDependencyFailure(err: unknown): boolean;
}

const PREFLIGHT = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id',
  'access-control-max-age': '600',
};

export function matchRoute(routes: readonly Route[], method: string, path: string): [Route, string[]] | null {
  for (const route of routes) {
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return [route, []];
    } else {
      const m = route.path.exec(path);
      if (m) return [route, m.slice(1)];
    }
  }
  return null;
}

/** Liveness answers while the process runs; readiness from memory (see DependencyMonitor), so it never waits. */
export function healthRoutes(readiness: () => Readiness, extra: () => Record<string, unknown> = () => ({})): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok', ...extra() }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: (_req, res) => {
        const state = readiness();
        sendJson(res, state.status === 'ready' ? 200 : 503, { ...state, ...extra() });
      },
    },
  ];
}

/** The `request` listener: request id, access log, CORS for /graphql, health, module routes, static files, errors. */
export function createRouter(options: RouterOptions) {
  const { logger } = options;
  const routes = [...healthRoutes(options.readiness), ...options.routes];

  const dispatch = async (req: Request, res: ServerResponse, path: string) => {
    if (path === GRAPHQL_PATH) {
      // Bearer tokens, no cookies: any origin may call the API.
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') return void res.writeHead(204, PREFLIGHT).end();
      const leave = await options.gate.enter();
      try {
        return await options.graphql(req, res);
      } finally {
        leave();
      }
    }
    const match = matchRoute(routes, req.method ?? 'GET', path);
    if (match) return await match[0].handle(req, res, match[1]);
    if (req.method === 'GET' && options.staticFiles?.(path, res)) return;
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'No such path.' } });
  };

  return (rawReq: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const req = rawReq as Request;
    req.requestId = requestIdOf(req);
    req.ip = clientIp(req, options.trustProxy);
    res.setHeader('x-request-id', req.requestId);
    // Once shutdown began a kept-alive connection closes after its answer, so no client sends on it as it is closed.
    if (options.draining()) res.setHeader('connection', 'close');
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { requestId: req.requestId, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    const path = (req.url ?? '/').split('?')[0];
    dispatch(req, res, path).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
      if (options.isDependencyFailure(err)) {
        const error = { code: 'SERVICE_UNAVAILABLE', reason: 'DEPENDENCY_DOWN', message: DEPENDENCY_DOWN_MESSAGE };
        return sendJson(res, 503, { error }, { 'retry-after': String(RETRY_AFTER_SECONDS) });
      }
      logger.error({ err, requestId: req.requestId }, 'request failed');
      sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: `Internal server error (request ${req.requestId}).` } });
    });
  };
}
