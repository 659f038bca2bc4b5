import type { IncomingMessage } from 'node:http';
import { HttpError } from './request.js';

/** How much of an oversized body is still read (and dropped) so its 413 reaches the client. */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Reads a body of at most `limitBytes`, declared or chunked. Past the limit it rejects with 413 at once and drops the
 * rest of the body as it arrives: a server that closes a socket with unread data resets it, and the client loses the
 * answer (what nginx calls a lingering close). A client that keeps sending past the discard limit is cut off.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const tooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `Body over ${limitBytes} bytes`);
    if (Number(req.headers['content-length'] ?? 0) > limitBytes) {
      discardRest(req);
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      chunks.length = 0;
      req.off('data', onData);
      discardRest(req);
      reject(tooLarge());
    };
    req.on('data', onData);
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT_BYTES) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}
