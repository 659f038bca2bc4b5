import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { useMutation, useQuery } from '@apollo/client/react';
import { MeDocument, LogInDocument } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { ApiProvider } from './api-context';
import { createApi } from './apollo';

const user = {
  __typename: 'User' as const,
  id: 'VXNlcjox',
  nickname: '비구름',
  email: 'a@example.com',
  role: 'USER',
  points: 0,
  homeProvince: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const later = () => new Date(Date.now() + 15 * 60_000).toISOString();

/** A fake /graphql that speaks like ours: 401 + UNAUTHENTICATED for a token it does not accept, rotating refresh tokens. */
function fakeServer(options: { refreshWorks: boolean; refuseEveryToken?: boolean }) {
  const state = { validAccess: 'access-2', refreshToken: 'refresh-1', refreshCalls: 0, authHeaders: [] as (string | null)[] };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/graphql-response+json; charset=utf-8' } });
  const unauthenticated = (message: string, status = 401) =>
    json(status, { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
  const fetchImpl = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { operationName: string; variables: Record<string, unknown> };
    const headers = new Headers(init?.headers);
    switch (body.operationName) {
      case 'RefreshSession':
        state.refreshCalls++;
        if (!options.refreshWorks || body.variables.refreshToken !== state.refreshToken)
          return unauthenticated('The session has ended; log in again.', 200);
        state.refreshToken = 'refresh-2';
        return json(200, {
          data: {
            refreshSession: {
              __typename: 'AuthPayload',
              accessToken: state.validAccess,
              refreshToken: 'refresh-2',
              accessTokenExpiresAt: later(),
              user,
            },
          },
        });
      case 'LogIn':
        return unauthenticated('Wrong email or password.', 200);
      case 'Me': {
        const auth = headers.get('authorization');
        state.authHeaders.push(auth);
        if (options.refuseEveryToken || auth !== `Bearer ${state.validAccess}`) return unauthenticated('The access token is not valid.');
        return json(200, { data: { me: user } });
      }
      default:
        return json(400, { errors: [{ message: `unexpected ${body.operationName}` }] });
    }
  }) as typeof fetch;
  return { state, fetchImpl };
}

function signedInWithStaleToken() {
  // The access token looks unexpired to the client, but the server refuses it (e.g. the secret rotated).
  localStorage.setItem(
    'ww.session',
    JSON.stringify({ accessToken: 'access-1', refreshToken: 'refresh-1', accessTokenExpiresAt: later(), user }),
  );
}

function Me({ label }: { label: string }) {
  const { data, error } = useQuery(MeDocument);
  if (error) return <ErrorMessage error={error} />;
  return <p>{data?.me ? `${label}:${data.me.nickname}` : 'loading'}</p>;
}

describe('auth link: transparent refresh on UNAUTHENTICATED', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => cleanup());

  it('refreshes once for concurrent requests, retries them with the new token and keeps the rotated refresh token', async () => {
    signedInWithStaleToken();
    const server = fakeServer({ refreshWorks: true });
    const api = createApi({ httpUrl: 'http://api.test/graphql', wsUrl: 'ws://api.test/graphql' }, { fetch: server.fetchImpl });
    render(
      <ApiProvider api={api}>
        <Me label="a" />
        <Me label="b" />
      </ApiProvider>,
    );
    expect(await screen.findByText('a:비구름')).toBeTruthy();
    expect(await screen.findByText('b:비구름')).toBeTruthy();
    expect(server.state.refreshCalls).toBe(1);
    expect(server.state.authHeaders[0]).toBe('Bearer access-1');
    expect(server.state.authHeaders.at(-1)).toBe('Bearer access-2');
    expect(JSON.parse(localStorage.getItem('ww.session')!).refreshToken).toBe('refresh-2');
    expect(api.session.get()?.accessToken).toBe('access-2');
  });

  it('signs out and shows the error in words when the refresh token is refused', async () => {
    signedInWithStaleToken();
    const server = fakeServer({ refreshWorks: false });
    const api = createApi({ httpUrl: 'http://api.test/graphql', wsUrl: 'ws://api.test/graphql' }, { fetch: server.fetchImpl });
    render(
      <ApiProvider api={api}>
        <Me label="a" />
      </ApiProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('로그인이 필요하거나');
    expect(server.state.refreshCalls).toBe(1);
    expect(api.session.get()).toBeNull();
    expect(localStorage.getItem('ww.session')).toBeNull();
  });

  it('does not treat a wrong password as an expired token', async () => {
    signedInWithStaleToken();
    const server = fakeServer({ refreshWorks: true });
    const api = createApi({ httpUrl: 'http://api.test/graphql', wsUrl: 'ws://api.test/graphql' }, { fetch: server.fetchImpl });
    function LogInForm() {
      const [logIn, { error }] = useMutation(LogInDocument);
      return (
        <>
          <button
            onClick={() => void logIn({ variables: { input: { email: 'a@example.com', password: 'nope-nope' } } }).catch(() => undefined)}
          >
            go
          </button>
          <ErrorMessage error={error} />
        </>
      );
    }
    render(
      <ApiProvider api={api}>
        <LogInForm />
      </ApiProvider>,
    );
    screen.getByText('go').click();
    const alert = await screen.findByRole('alert');
    // In words of the catalogue, never the server's English sentence.
    expect(alert.textContent).toContain('로그인이 필요하거나');
    expect(alert.textContent).not.toContain('Wrong email or password.');
    await waitFor(() => expect(server.state.refreshCalls).toBe(0));
    expect(api.session.get()?.refreshToken).toBe('refresh-1');
  });
  it('retries only once: a token refused again after a successful refresh ends in the error', async () => {
    signedInWithStaleToken();
    const server = fakeServer({ refreshWorks: true, refuseEveryToken: true });
    const api = createApi({ httpUrl: 'http://api.test/graphql', wsUrl: 'ws://api.test/graphql' }, { fetch: server.fetchImpl });
    render(
      <ApiProvider api={api}>
        <Me label="a" />
      </ApiProvider>,
    );
    await screen.findByRole('alert');
    expect(server.state.refreshCalls).toBe(1);
    expect(server.state.authHeaders).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('never refreshes for an anonymous request', async () => {
    const server = fakeServer({ refreshWorks: true, refuseEveryToken: true });
    const api = createApi({ httpUrl: 'http://api.test/graphql', wsUrl: 'ws://api.test/graphql' }, { fetch: server.fetchImpl });
    render(
      <ApiProvider api={api}>
        <Me label="a" />
      </ApiProvider>,
    );
    await screen.findByRole('alert');
    expect(server.state.refreshCalls).toBe(0);
    expect(server.state.authHeaders).toEqual([null]);
  });
});
