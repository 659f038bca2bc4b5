// The GraphQL IDE served at /graphiql outside production: GraphiQL bundled from npm (no CDN), queries and mutations
// over HTTP, subscriptions over graphql-ws; the Authorization header from the header editor goes to both.
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { parse, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

const { protocol, host } = window.location;
const httpUrl = `${protocol}//${host}/graphql`;
const wsUrl = `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql`;

const http = createGraphiQLFetcher({ url: httpUrl });
const sockets = new Map<string, Client>();

function socketFor(authorization: string): Client {
  let client = sockets.get(authorization);
  if (!client) {
    client = createClient({ url: wsUrl, lazy: true, connectionParams: authorization ? { authorization } : {} });
    sockets.set(authorization, client);
  }
  return client;
}

function isSubscription(query: string, operationName?: string | null): boolean {
  try {
    const ops = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
    return op?.operation === 'subscription';
  } catch {
    return false;
  }
}

const fetcher: Fetcher = (params, opts) => {
  if (isSubscription(params.query, params.operationName)) {
    const headers = (opts?.headers ?? {}) as Record<string, string>;
    const auth = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
    return socketFor(auth).iterate({
      query: params.query,
      variables: params.variables,
      operationName: params.operationName ?? undefined,
    }) as ReturnType<Fetcher>;
  }
  return http(params, opts);
};

// Signed in to the web client in this browser? Start with that token in the header editor.
function defaultHeaders(): string {
  try {
    const session = JSON.parse(localStorage.getItem('ww.session') ?? 'null') as { accessToken?: string } | null;
    if (session?.accessToken) return JSON.stringify({ Authorization: `Bearer ${session.accessToken}` }, null, 2);
  } catch {
    /* ignore */
  }
  return '{}';
}

const defaultQuery = `# WeatherWise GraphQL API. Ctrl+Enter runs the query.
# Put "Authorization": "Bearer <accessToken>" in the Headers tab; subscriptions use it too.
query Status {
  serverStatus {
    version
    database
    redis
    worker { alive lastHeartbeatAt }
  }
  me { id nickname }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} defaultHeaders={defaultHeaders()} defaultEditorToolsVisibility="headers" />,
);
