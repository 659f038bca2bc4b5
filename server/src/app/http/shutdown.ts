import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/** Kept-alive connections busy at shutdown get this long to finish their request; idle ones are closed after it. */
const IDLE_GRACE_MS = 500;
/** Requests still running after this long are cut off, so the process exits within its 9 s grace. */
const DRAIN_DEADLINE_MS = 6000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops accepting connections and lets the requests in flight finish: no request is reset. While draining, every
 * answer carries `Connection: close` (the router adds it), so a client learns from its answer not to reuse the
 * connection; connections still idle after a short grace are closed, and whatever runs past the deadline is cut.
 */
export async function drainHttp(server: Server): Promise<void> {
  // net.Server's close: http.Server's own would also close idle kept-alive connections at once, racing a client that is
  // sending its next request on one of them at that moment (it would see a reset instead of an answer).
  let done = false;
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  void closed.then(() => (done = true));
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  await Promise.race([closed, sleep(IDLE_GRACE_MS)]);
  while (!done && Date.now() < deadline) {
    server.closeIdleConnections();
    await Promise.race([closed, sleep(100)]);
  }
  if (!done) server.closeAllConnections();
  await closed;
  // http.Server's close, now that nothing is left to race, stops its timeout checks (it answers "not running").
  server.close(() => undefined);
}
