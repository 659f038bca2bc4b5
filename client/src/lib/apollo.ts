// Apollo Client: HTTP for queries and mutations, graphql-ws for subscriptions; both carry the access token, and an
// UNAUTHENTICATED answer triggers one transparent refresh (refreshSession) and a retry of the operation.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { print } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { from, mergeMap, of, throwError, type Observable as RxObservable } from 'rxjs';
import { RefreshSessionDocument, type RefreshSessionMutation } from '../__generated__/graphql';
import { AuthRejected, SessionStore, type Session } from './session';

/** Operations whose UNAUTHENTICATED means "wrong credentials", never "token expired". */
const NO_RETRY = new Set(['LogIn', 'SignUp', 'RefreshSession', 'LogInWithKakao', 'LogOut']);

function graphqlCodes(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): unknown[] {
  return (errors ?? []).map((e) => e.extensions?.code);
}

/** True for an answer or failure that means the access token was not accepted. */
export function isUnauthenticated(errorOrResult: unknown): boolean {
  if (!errorOrResult || typeof errorOrResult !== 'object') return false;
  const value = errorOrResult as { errors?: { extensions?: Record<string, unknown> }[]; message?: string; code?: number };
  if (graphqlCodes(value.errors).includes('UNAUTHENTICATED')) return true;
  if (ServerError.is(errorOrResult) && errorOrResult.statusCode === 401) return true;
  // graphql-ws closes the socket with 4401/4403 when the connection's token is refused.
  if (value.code === 4401 || value.code === 4403) return true;
  return typeof value.message === 'string' && /Socket closed with event 440[13]/.test(value.message);
}

/** Calls refreshSession over plain fetch (not through the link chain, which would recurse). */
export function createRefresher(httpUrl: string, fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  return async (refreshToken: string): Promise<Session> => {
    const response = await fetchImpl(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationName: 'RefreshSession', query: print(RefreshSessionDocument), variables: { refreshToken } }),
    });
    let body: { data?: RefreshSessionMutation | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    try {
      body = await response.json();
    } catch {
      throw new Error(`refreshSession failed (HTTP ${response.status})`);
    }
    if (body.data?.refreshSession) return body.data.refreshSession;
    if (graphqlCodes(body.errors).includes('UNAUTHENTICATED')) throw new AuthRejected(body.errors![0].message);
    throw new Error(body.errors?.[0]?.message ?? `refreshSession failed (HTTP ${response.status})`);
  };
}

/** Where an operation's context keeps the access token it was sent with (null: sent anonymously). */
const SENT_TOKEN = 'wwAccessToken';

/**
 * The auth links, built from Apollo's own primitives: `SetContextLink` adds the current token to every attempt;
 * `ErrorLink` answers a refusal of that token with one `refreshSession` and one retry (ErrorLink never hands a
 * retried attempt back to its handler). Concurrent refusals share one refresh and tabs take turns: that is the
 * session store's job (`SessionStore.refresh`), not the link's.
 */
export function createAuthLink(session: SessionStore): ApolloLink {
  const retryAfterRefresh = new ErrorLink(({ error, result, operation, forward }) => {
    if (NO_RETRY.has(operation.operationName ?? '') || !isUnauthenticated(error)) return;
    const sent = operation.getContext()[SENT_TOKEN] as string | null | undefined;
    // Anonymous: there is nothing to refresh, the answer stands.
    if (!sent) return;
    return from(session.refresh(sent)).pipe(
      mergeMap((ok): RxObservable<ApolloLink.Result> => {
        if (ok) return forward(operation);
        return result ? of(result) : throwError(() => error);
      }),
    );
  });
  const withToken = new SetContextLink(async ({ headers }) => {
    const token = await session.accessToken().catch(() => null);
    const next: Record<string, string> = { ...(headers as Record<string, string> | undefined) };
    if (token) next.authorization = `Bearer ${token}`;
    else delete next.authorization;
    return { headers: next, [SENT_TOKEN]: token };
  });
  return ApolloLink.from([retryAfterRefresh, withToken]);
}

export interface RestartableWsClient extends WsClient {
  /** Reconnects with the current token; active subscriptions resume on the new socket. */
  restart(): void;
}

export function createWsClient(url: string, session: SessionStore, webSocketImpl?: unknown): RestartableWsClient {
  let socket: WebSocket | null = null;
  let acknowledged = false;
  let restartRequested = false;
  const client = createClient({
    url,
    lazy: true,
    webSocketImpl,
    retryAttempts: Infinity,
    // A refused token (4401/4403) ends the subscriptions with an error: the auth link refreshes and resubscribes.
    // Anything else (network, server restart, 1001) reconnects and resubscribes by itself.
    shouldRetry: (e) => !(e && typeof e === 'object' && 'code' in e && (e.code === 4401 || e.code === 4403)),
    connectionParams: async () => {
      const token = await session.accessToken().catch(() => null);
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      opened: (s) => {
        socket = s as WebSocket;
        acknowledged = false;
      },
      connected: () => {
        acknowledged = true;
        if (restartRequested) {
          restartRequested = false;
          socket?.close(4205, 'Client Restart');
        }
      },
      closed: () => {
        socket = null;
        acknowledged = false;
        restartRequested = false;
      },
    },
  }) as RestartableWsClient;
  // No socket: the next one reads the current token anyway. Still handshaking: restart once acknowledged.
  client.restart = () => {
    if (!socket) return;
    if (acknowledged) socket.close(4205, 'Client Restart');
    else restartRequested = true;
  };
  return client;
}

export interface ApiEndpoints {
  httpUrl: string;
  wsUrl: string;
}

export function defaultEndpoints(): ApiEndpoints {
  const { protocol, host } = window.location;
  return { httpUrl: `${protocol}//${host}/graphql`, wsUrl: `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql` };
}

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      VoteCounts: { keyFields: ['targetId'] },
      VoteCountsEvent: { keyFields: false },
      // A mission's rules have no id: a subscription selecting only `kind` must merge into them, not replace them
      // (a replaced object leaves the page's query incomplete, and it kept showing its older copy).
      MissionVerification: { merge: true },
    },
  });
}

export interface Api {
  client: ApolloClient;
  session: SessionStore;
  ws: RestartableWsClient;
}

export function createApi(
  endpoints: ApiEndpoints = defaultEndpoints(),
  options: { fetch?: typeof fetch; webSocketImpl?: unknown } = {},
): Api {
  const session = new SessionStore(createRefresher(endpoints.httpUrl, options.fetch));
  const ws = createWsClient(endpoints.wsUrl, session, options.webSocketImpl);
  const http = new HttpLink({ uri: endpoints.httpUrl, fetch: options.fetch });
  const transport = ApolloLink.split((op) => op.operationType === 'subscription', new GraphQLWsLink(ws), http);
  const client = new ApolloClient({ link: ApolloLink.from([createAuthLink(session), transport]), cache: createCache() });
  // A different user (sign-in, sign-out, another tab): reconnect the socket as them and forget cached data.
  let userId = session.user?.id ?? null;
  session.subscribe((s) => {
    const next = s?.user.id ?? null;
    if (next === userId) return;
    userId = next;
    ws.restart();
    // After the current tick, so operations that caused the change (a refused refresh) settle first.
    setTimeout(() => void client.resetStore().catch(() => undefined), 0);
  });
  return { client, session, ws };
}
