import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription<T> {
  /** Every event received so far. */
  events: T[];
  /** Resolves with the n-th event (1-based), waiting for it if needed. */
  nth(n: number, timeoutMs?: number): Promise<T>;
  /** Resolves when an event satisfies `predicate`. */
  until(predicate: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  error: Promise<unknown>;
  close(): void;
}

export function wsClient(httpUrl: string, token?: string, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    ...extra,
  });
}

/** Subscribes and resolves once the server has acknowledged the subscription. */
export async function subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<Subscription<T>> {
  const events: T[] = [];
  const waiters: (() => void)[] = [];
  let rejectError!: (e: unknown) => void;
  const error = new Promise((_, reject) => (rejectError = reject));
  error.catch(() => undefined);
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) rejectError(value.errors);
        events.push(value.data as T);
        waiters.splice(0).forEach((w) => w());
      },
      error: (e) => rejectError(e),
      complete: () => undefined,
    },
  );
  // graphql-ws has no subscribe ack; give the server a moment to register the Redis subscription.
  await new Promise((r) => setTimeout(r, 150));
  const until = (predicate: (e: T) => boolean, timeoutMs = 5000) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = events.find(predicate);
        if (hit !== undefined) {
          clearTimeout(timer);
          resolve(hit);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
      const wait = () => {
        if (!check()) waiters.push(wait);
      };
      error.catch(reject);
      wait();
    });
  return {
    events,
    error,
    nth: (n, timeoutMs) => until((event) => events.indexOf(event) === n - 1, timeoutMs),
    until,
    close: dispose,
  };
}
