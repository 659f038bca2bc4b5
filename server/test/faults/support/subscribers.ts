import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { sleep } from '../../infra/processes';

export interface Received {
  at: number;
  data: any;
  errors?: readonly unknown[];
}

/** One graphql-ws connection with its subscriptions, recording what a client would see. */
export interface Subscriber {
  events: Received[];
  /** When the socket was acknowledged (`connection_ack`), first connect and every reconnect. */
  connects: number[];
  closes: { at: number; code: number; reason: string }[];
  /** Index of the API URL in use. */
  current(): number;
  dispose(): Promise<void>;
}

export interface SubscriberOptions {
  token?: string;
  /**
   * Reconnect after a close, moving on to the next URL, with a short jittered wait (a client that treats a lost or
   * restarting server as "reconnect elsewhere"); graphql-ws then subscribes again by itself.
   */
  reconnect?: boolean;
}

export function startSubscriber(
  apiUrls: string[],
  subscriptions: { query: string; variables?: Record<string, unknown> }[],
  options: SubscriberOptions = {},
): Subscriber {
  let current = 0;
  const events: Received[] = [];
  const connects: number[] = [];
  const closes: Subscriber['closes'] = [];
  const client: Client = createClient({
    url: () => apiUrls[current]!.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    keepAlive: 0,
    retryAttempts: options.reconnect ? Number.POSITIVE_INFINITY : 0,
    shouldRetry: () => !!options.reconnect,
    retryWait: () => sleep(100 + Math.random() * 200),
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    onNonLazyError: () => undefined,
    on: {
      connected: () => connects.push(Date.now()),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ at: Date.now(), code, reason: String(reason ?? '') });
        if (options.reconnect) current = (current + 1) % apiUrls.length;
      },
    },
  });
  for (const subscription of subscriptions) {
    client.subscribe(subscription, {
      next: (value) => events.push({ at: Date.now(), data: value.data, errors: value.errors }),
      error: () => undefined,
      complete: () => undefined,
    });
  }
  return {
    events,
    connects,
    closes,
    current: () => current,
    dispose: () => client.dispose() as Promise<void>,
  };
}
