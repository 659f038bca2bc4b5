import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { dependencyFailure, type DependencyName } from '../dependencies/failures.js';
import { monitorDependencies } from '../dependencies/probes.js';
import type { AuthUser } from '../graphql/context.js';
import { createContextFactory } from '../graphql/context.js';
import type { Infra } from '../infra.js';
import { AdmissionGate } from './admission.js';
import { createGraphqlHttp } from './graphql-http.js';
import { createGraphqlWs } from './graphql-ws.js';
import type { Route } from './request.js';
import { createRouter, GRAPHQL_PATH, type Readiness } from './router.js';
import { drainHttp } from './shutdown.js';
import { serveStatic } from './static-files.js';

export interface ApiParts {
  infra: Infra;
  schema: GraphQLSchema;
  authenticate(authorization: string | undefined | null): AuthUser | null;
  routes: Route[];
}

export interface RunningApi {
  url: string;
  port: number;
  httpServer: Server;
  /** What /readyz answers. */
  readiness(): Readiness;
  /** Open WebSockets. */
  readonly webSockets: number;
  /** Readiness 503 → stop accepting → drain HTTP and close WebSockets (1012) → stop Apollo. Stores stay open. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** HTTP + graphql-ws on one port and path; the process's composition root wires `parts` and closes the stores after `stop`. */
export async function startApi(parts: ApiParts, port: number, host: string): Promise<RunningApi> {
  const { infra, schema } = parts;
  const { config, logger } = infra;
  const buildContext = createContextFactory(infra.orm);
  const monitor = monitorDependencies(infra);
  monitor.start();
  const onDependencyFailure = (name: DependencyName | 'unknown') => monitor.suspect(name);
  let draining = false;
  const readiness = (): Readiness => {
    if (draining) return { status: 'unavailable', reason: 'SHUTTING_DOWN' };
    if (monitor.ready) return { status: 'ready' };
    return { status: 'unavailable', reason: 'DEPENDENCY_DOWN', down: (['mysql', 'redis'] as const).filter((d) => !monitor.isUp(d)) };
  };

  const httpServer = createServer({
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    // Node checks both timeouts on this interval (30 s by default, which would let a slow body live a minute).
    connectionsCheckingInterval: Math.min(1000, config.HTTP_HEADERS_TIMEOUT_MS),
  });
  // Idle keep-alive connections stay open longer than a proxy's or client pool's idle timeout (nginx, load balancers:
  // 60 s). With Node's 5 s default the server closes a socket just as a client reuses it: "socket hang up".
  httpServer.keepAliveTimeout = 65_000;

  const graphqlHttp = await createGraphqlHttp({
    schema,
    config,
    logger,
    authenticate: parts.authenticate,
    buildContext,
    onDependencyFailure,
  });
  const ws = createGraphqlWs({
    httpServer,
    schema,
    config,
    logger,
    validationRules: graphqlHttp.armor.validationRules,
    authenticate: parts.authenticate,
    buildContext,
    onDependencyFailure,
  });
  const router = createRouter({
    logger,
    trustProxy: config.TRUST_PROXY,
    routes: parts.routes,
    graphql: graphqlHttp.handle,
    gate: new AdmissionGate({
      maxActive: config.HTTP_MAX_ACTIVE,
      maxQueued: config.HTTP_MAX_QUEUED,
      releaseAfterMs: config.HTTP_RELEASE_AFTER_MS,
    }),
    staticFiles: config.WEB_DIST_DIR ? serveStatic(config.WEB_DIST_DIR) : null,
    readiness,
    draining: () => draining,
    isDependencyFailure: (err) => {
      const dependency = dependencyFailure(err);
      if (dependency) onDependencyFailure(dependency);
      return dependency !== null;
    },
  });
  httpServer.on('request', router);

  await new Promise<void>((resolveListen) => httpServer.listen(port, host, resolveListen));
  const actualPort = (httpServer.address() as AddressInfo).port;
  logger.info({ port: actualPort, instanceId: infra.instanceId }, 'api listening');

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actualPort}${GRAPHQL_PATH}`,
    port: actualPort,
    httpServer,
    readiness,
    get webSockets() {
      return ws.connections;
    },
    stop: () =>
      (stopping ??= (async () => {
        draining = true;
        if (config.SHUTDOWN_DELAY_MS) await sleep(config.SHUTDOWN_DELAY_MS);
        await Promise.all([drainHttp(httpServer), ws.close()]);
        await graphqlHttp.stop();
        await monitor.stop();
      })()),
  };
}
