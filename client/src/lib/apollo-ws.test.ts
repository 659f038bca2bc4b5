// @vitest-environment node
// The subscription side of the auth link, against a real graphql-ws server: a socket refused with 4401 leads to one
// refresh and a resubscription on a new socket carrying the new token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { gql } from '@apollo/client';
import { createApi } from './apollo';

// The same (CommonJS) graphql instance graphql-ws's server code loads.
const { GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      whoami: {
        type: GraphQLString,
        subscribe: async function* (_root: unknown, _args: unknown, ctx: { user: string }) {
          yield { whoami: ctx.user };
        },
      },
    },
  }),
});

let server: Server;
let wss: WebSocketServer;
let port = 0;
const connections: string[] = [];

beforeAll(async () => {
  (globalThis as Record<string, unknown>).WebSocket ??= WebSocket;
  server = createServer();
  wss = new WebSocketServer({ server, path: '/graphql' });
  useServer<Record<string, unknown>, { user?: string }>(
    {
      schema,
      onConnect: (ctx) => {
        const auth = String(ctx.connectionParams?.authorization ?? '');
        connections.push(auth);
        if (auth !== 'Bearer access-2') {
          ctx.extra.socket.close(4401, 'The access token is not valid.');
          return false;
        }
        ctx.extra.user = 'alice';
        return true;
      },
      context: (ctx) => ({ user: ctx.extra.user }),
    },
    wss,
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
  await new Promise((r) => server.close(r));
});

describe('auth link over graphql-ws', () => {
  it('refreshes after a 4401 close and resubscribes with the new token', async () => {
    let refreshCalls = 0;
    const fetchImpl = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body));
      expect(body.operationName).toBe('RefreshSession');
      refreshCalls++;
      const user = {
        __typename: 'User',
        id: 'U1',
        nickname: 'alice',
        email: null,
        role: 'USER',
        points: 0,
        homeProvince: null,
        createdAt: new Date().toISOString(),
      };
      const data = {
        refreshSession: {
          __typename: 'AuthPayload',
          accessToken: 'access-2',
          refreshToken: 'refresh-2',
          accessTokenExpiresAt: new Date(Date.now() + 900_000).toISOString(),
          user,
        },
      };
      return new Response(JSON.stringify({ data }), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const api = createApi(
      { httpUrl: `http://127.0.0.1:${port}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` },
      { fetch: fetchImpl, webSocketImpl: WebSocket },
    );
    api.session.set({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      accessTokenExpiresAt: new Date(Date.now() + 900_000).toISOString(),
      user: { id: 'U1', nickname: 'alice', email: null, role: 'USER', points: 0, homeProvince: null, createdAt: new Date().toISOString() },
    });
    const first = await new Promise<unknown>((resolve, reject) => {
      const sub = api.client
        .subscribe({
          query: gql`
            subscription Who {
              whoami
            }
          `,
        })
        .subscribe({
          next: (r) => {
            sub.unsubscribe();
            resolve(r.data ?? r);
          },
          error: reject,
        });
    });
    expect(first).toEqual({ whoami: 'alice' });
    expect(refreshCalls).toBe(1);
    expect(connections).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(api.session.get()?.refreshToken).toBe('refresh-2');
    await api.ws.dispose();
  });
});
