import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';

/** 1013 Try Again Later: this socket fell too far behind; reconnect and resume by seq (graphql-ws clients retry it). */
export const CLOSE_SLOW_CONSUMER = 1013;

export interface FrameOptions {
  /** Bytes a socket may have waiting to be sent before it counts as behind. */
  slowBytes: number;
  /** How long it may stay behind before it is closed. */
  slowForMs: number;
}

/**
 * Serialises a shared event's result once for every socket it goes to. graphql-ws writes each `next` frame with
 * JSON.stringify and our replacer: a result seen before is replaced by a token (its payload is the frame's last
 * property), and the socket's `send` swaps the token for the JSON text made the first time. Also watches each
 * socket's send buffer: one that stays over `slowBytes` for `slowForMs` is closed, so it resumes from its last seq
 * instead of holding everyone's memory.
 */
export class Frames {
  private readonly tokens = new WeakMap<object, string>();
  /** Token → shared JSON; an event's frames are all written within moments, so entries live a minute. */
  private readonly byToken = new Map<string, { json: string; at: number }>();
  private readonly prefix = `\u0000frame:${randomBytes(6).toString('hex')}:`;
  private next = 0;

  constructor(private readonly options: FrameOptions) {}

  /** Marks a result that many sockets will carry (a shared execution). */
  share(result: object): void {
    if (this.tokens.has(result)) return;
    const token = `${this.prefix}${this.next++}`;
    this.tokens.set(result, token);
    const now = Date.now();
    this.byToken.set(token, { json: JSON.stringify(result), at: now });
    if (this.next % 256 === 0) {
      for (const [t, entry] of this.byToken) {
        if (now - entry.at < 60_000) break;
        this.byToken.delete(t);
      }
    }
  }

  /** graphql-ws's `jsonMessageReplacer`. */
  readonly replacer = (key: string, value: unknown): unknown =>
    key === 'payload' && typeof value === 'object' && value !== null ? (this.tokens.get(value) ?? value) : value;

  /** Wraps one socket's `send`: tokens become the shared JSON; a lagging socket is closed. */
  attach(socket: WebSocket): void {
    const send = socket.send.bind(socket);
    let behindSince = 0;
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      if (socket.bufferedAmount > this.options.slowBytes) {
        behindSince ||= Date.now();
        if (Date.now() - behindSince > this.options.slowForMs) {
          socket.close(CLOSE_SLOW_CONSUMER, 'too far behind; reconnect and resume');
          const done = rest.find((r) => typeof r === 'function') as ((err?: Error) => void) | undefined;
          done?.(new Error('socket closed: slow consumer'));
          return;
        }
      } else behindSince = 0;
      (send as (...args: unknown[]) => void)(typeof data === 'string' ? this.expand(data) : data, ...rest);
    }) as WebSocket['send'];
  }

  private expand(frame: string): string {
    // The token is the payload, the last property: `..."payload":"<token>"}`.
    const at = frame.lastIndexOf(',"payload":"');
    if (at < 0 || !frame.endsWith('"}')) return frame;
    const token = JSON.parse(frame.slice(at + 11, -1)) as string;
    if (!token.startsWith(this.prefix)) return frame;
    const entry = this.byToken.get(token);
    return entry ? `${frame.slice(0, at)},"payload":${entry.json}}` : frame;
  }
}
