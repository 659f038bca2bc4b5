import { createReadStream, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../app/config.js';
import { sendJson, type Route } from '../../app/http/request.js';

/**
 * GET /graphiql: the in-browser GraphQL IDE bundled with the web client (client/dist/graphiql.html), outside
 * production only. In production both /graphiql and /graphiql.html answer 404.
 */
export function graphiqlRoutes(config: Pick<Config, 'isProduction' | 'WEB_DIST_DIR'>): Route[] {
  const handle: Route['handle'] = (_req, res) => {
    const file = config.WEB_DIST_DIR ? join(resolve(config.WEB_DIST_DIR), 'graphiql.html') : null;
    const stat = !config.isProduction && file ? statSafe(file) : undefined;
    if (!file || !stat?.isFile()) {
      const message = config.isProduction
        ? 'The GraphQL IDE is off in production.'
        : 'The GraphQL IDE is part of the web client: build it (npm run build -w client) and set WEB_DIST_DIR.';
      return sendJson(res, 404, { error: { code: 'NOT_FOUND', message } });
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': stat.size, 'cache-control': 'no-cache' });
    createReadStream(file).pipe(res);
  };
  return [
    { method: 'GET', path: '/graphiql', handle },
    { method: 'GET', path: '/graphiql.html', handle },
  ];
}

function statSafe(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
