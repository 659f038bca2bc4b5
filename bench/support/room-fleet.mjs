// Many chat subscribers in one load process: one WebSocket each, speaking graphql-transport-ws directly over `ws`
// (connection_init / subscribe / next) instead of graphql-ws's client, so 10,000 of them stay cheap. Each one checks
// that it sees every seq once and in order, reconnects forever with jittered back-off to the next URL in its list when
// its socket closes, and resumes with afterSeq = the last seq it has.
import WebSocket from 'ws';
import { Histogram } from './latency.mjs';

const PROTOCOL = 'graphql-transport-ws';
const INIT = JSON.stringify({ type: 'connection_init', payload: {} });
const PONG = JSON.stringify({ type: 'pong' });
const QUERY = JSON.stringify('subscription($r: ID!, $after: Int) { chatMessageAdded(roomId: $r, afterSeq: $after) { seq body } }');
const SOCKET_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 10_000 };
const ACK_TIMEOUT_MS = 10_000;
const FRAME_CACHE = 512;

/** What one window of the run saw: latency of every first delivery, and how many. */
export class Phase {
  hist = new Histogram();
  delivered = 0;
}

class Subscriber {
  ws = null;
  acked = false;
  last = 0; // highest seq seen
  missing = null; // seqs below `last` not seen yet (a gap), lazily a Set
  resuming = false; // its socket closed; not caught up yet
  closedAt = 0;
  connectedAt = 0; // when the last connection attempt started (after the back-off wait)
  firstAt = -1; // first message after the close
  target = 0; // highest confirmed seq when it resubscribed: caught up once it has that
  attempt = 0;
  moveTo = -1;
  withoutResume = false; // told to reload: subscribes without afterSeq
  onReady = null;

  constructor(index, url, after) {
    this.index = index;
    this.home = url;
    this.url = url;
    this.last = after;
  }

  /** The afterSeq to resume with: the last seq below which nothing is missing. */
  resumeFrom() {
    if (!this.missing) return this.last;
    let min = this.last;
    for (const s of this.missing) if (s < min) min = s;
    return min - 1;
  }
}

export class RoomFleet {
  /**
   * @param {{ urls: string[], roomId: string, size: number, afterSeq: number, jitterMs?: number, backoffCapMs?: number }} o
   * Subscriber i starts on urls[i % urls.length] and subscribes with `afterSeq`.
   */
  constructor({ urls, roomId, size, afterSeq, jitterMs = 1000, backoffCapMs = 5000 }) {
    this.urls = urls;
    this.roomJson = JSON.stringify(roomId);
    this.jitterMs = jitterMs;
    this.backoffCapMs = backoffCapMs;
    this.subs = Array.from({ length: size }, (_, i) => new Subscriber(i, i % urls.length, afterSeq));
    this.frames = new Map(); // frame text → decoded event: every subscriber gets the same bytes, parse them once
    this.bodies = new Map(); // seq → first body delivered with it (a seq delivered with two bodies was never stored)
    this.conflictingSeqs = new Set();
    this.confirmedSeq = afterSeq;
    this.phase = null;
    this.closing = false;
    this.counters = {
      duplicates: 0,
      out_of_order: 0,
      reloads: 0,
      completes: 0,
      errors: 0,
      reconnects: 0,
      failed_attempts: 0,
    };
    this.closeCodes = {};
    this.resumeFirst = []; // ms from a socket's close to its first message after resubscribing
    this.resumeCaughtUp = []; // ms from a socket's close to having every seq confirmed when it resubscribed
    this.resumeAfterWait = []; // the same from the start of the connection attempt that succeeded: the server's part
    this.firstError = null;
  }

  /** The sender tells the fleet the seq of each stored message. */
  confirm(seq) {
    if (seq > this.confirmedSeq) this.confirmedSeq = seq;
  }

  /** Opens every socket, at most `concurrency` handshakes at a time; resolves when each has sent its subscribe. */
  connectAll(concurrency = 200) {
    let next = 0;
    let ready = 0;
    let inFlight = 0;
    return new Promise((resolve) => {
      const pump = () => {
        while (inFlight < concurrency && next < this.subs.length) {
          const sub = this.subs[next++];
          inFlight++;
          sub.onReady = () => {
            sub.onReady = null;
            inFlight--;
            if (++ready === this.subs.length) resolve();
            else pump();
          };
          this.connect(sub);
        }
      };
      if (!this.subs.length) resolve();
      pump();
    });
  }

  connect(sub) {
    if (this.closing) return;
    const ws = new WebSocket(this.urls[sub.url], PROTOCOL, SOCKET_OPTIONS);
    sub.connectedAt = performance.now();
    sub.ws = ws;
    sub.acked = false;
    const ackTimer = setTimeout(() => !sub.acked && ws.terminate(), ACK_TIMEOUT_MS);
    ws.on('open', () => ws.send(INIT));
    ws.on('message', (data) => this.onFrame(sub, data));
    ws.on('error', () => undefined); // 'close' (1006) follows and decides
    ws.on('close', (code) => {
      clearTimeout(ackTimer);
      this.onClose(sub, ws, code);
    });
  }

  onFrame(sub, data) {
    const text = data.toString();
    let event = this.frames.get(text);
    if (event === undefined) {
      event = this.decode(text);
      if (event.seq !== undefined) {
        if (this.frames.size >= FRAME_CACHE) this.frames.clear();
        this.frames.set(text, event);
      }
    }
    if (event.seq !== undefined) this.deliver(sub, event);
    else this.control(sub, event.message);
  }

  decode(text) {
    const message = JSON.parse(text);
    const m = message.type === 'next' && !message.payload?.errors ? message.payload?.data?.chatMessageAdded : undefined;
    if (!m) return { message };
    const seen = this.bodies.get(m.seq);
    if (seen === undefined) this.bodies.set(m.seq, m.body);
    else if (seen !== m.body) this.conflictingSeqs.add(m.seq);
    return { seq: m.seq, sentAt: Number(m.body.slice(m.body.indexOf('|') + 1)) };
  }

  deliver(sub, { seq, sentAt }) {
    const last = sub.last;
    if (seq === last + 1) sub.last = seq;
    else if (seq > last + 1) {
      sub.missing ??= new Set();
      for (let s = last + 1; s < seq; s++) sub.missing.add(s);
      sub.last = seq;
    } else if (sub.missing?.delete(seq)) {
      this.counters.out_of_order++;
      if (!sub.missing.size) sub.missing = null;
    } else {
      this.counters.duplicates++;
      return;
    }
    const now = performance.now();
    if (this.phase) {
      this.phase.hist.add(now - sentAt);
      this.phase.delivered++;
    }
    if (sub.resuming) {
      if (sub.firstAt < 0) {
        sub.firstAt = now;
        this.resumeFirst.push(now - sub.closedAt);
      }
      if (sub.last >= sub.target && !sub.missing) {
        sub.resuming = false;
        this.resumeCaughtUp.push(now - sub.closedAt);
        this.resumeAfterWait.push(now - sub.connectedAt);
      }
    }
  }

  control(sub, message) {
    const ws = sub.ws;
    switch (message.type) {
      case 'connection_ack':
        sub.acked = true;
        sub.attempt = 0;
        this.subscribe(sub);
        sub.onReady?.();
        return;
      case 'ping':
        ws?.send(PONG);
        return;
      case 'next':
        this.counters.errors++;
        this.firstError ??= JSON.stringify(message.payload?.errors ?? message.payload);
        return;
      case 'error':
        if (message.payload?.some?.((e) => e.extensions?.reason === 'RESUME_GAP')) {
          // "Reload the room": a real client refetches the page; here it subscribes without afterSeq, so whatever it
          // missed stays missing and shows as lost as well.
          this.counters.reloads++;
          sub.withoutResume = true;
          this.subscribe(sub);
          return;
        }
        this.counters.errors++;
        this.firstError ??= JSON.stringify(message.payload);
        return;
      case 'complete':
        this.counters.completes++;
        this.subscribe(sub);
        return;
      default:
    }
  }

  subscribe(sub) {
    sub.target = this.confirmedSeq;
    const after = sub.withoutResume ? 'null' : String(sub.resumeFrom());
    sub.ws?.send(`{"id":"1","type":"subscribe","payload":{"query":${QUERY},"variables":{"r":${this.roomJson},"after":${after}}}}`);
  }

  onClose(sub, ws, code) {
    if (sub.ws !== ws) return;
    const wasSubscribed = sub.acked;
    sub.ws = null;
    sub.acked = false;
    if (this.closing) return;
    this.counters.reconnects++;
    if (wasSubscribed) {
      this.closeCodes[code] = (this.closeCodes[code] ?? 0) + 1;
      // Closed again before catching up: the resume still counts from the first close.
      if (!sub.resuming) {
        sub.resuming = true;
        sub.closedAt = performance.now();
        sub.firstAt = -1;
      }
      sub.url = sub.moveTo >= 0 ? sub.moveTo : (sub.url + 1) % this.urls.length;
      sub.moveTo = -1;
      sub.attempt = 0;
    } else {
      this.counters.failed_attempts++;
      sub.attempt++;
      sub.url = (sub.url + 1) % this.urls.length;
    }
    const delay =
      sub.attempt === 0 ? Math.random() * this.jitterMs : Math.min(this.backoffCapMs, 250 * 2 ** sub.attempt) * (0.5 + Math.random() / 2);
    setTimeout(() => this.connect(sub), delay);
  }

  /** Closes the sockets of the subscribers whose home is `url` but sit elsewhere; they reconnect to it and resume. */
  sendHome(url) {
    let moved = 0;
    for (const sub of this.subs) {
      if (sub.home !== url || sub.url === url || !sub.acked) continue;
      sub.moveTo = url;
      sub.ws.close(1000, 'move');
      moved++;
    }
    return moved;
  }

  /** Subscribers connected (acknowledged) to each URL. */
  spread() {
    const counts = this.urls.map(() => 0);
    for (const sub of this.subs) if (sub.acked) counts[sub.url]++;
    return counts;
  }

  /** Subscribers whose socket closed and that have not caught up since. */
  resuming() {
    let n = 0;
    for (const sub of this.subs) if (sub.resuming) n++;
    return n;
  }

  /** Seqs up to `upTo` that some subscriber has not received (summed over subscribers). */
  missingUpTo(upTo) {
    let n = 0;
    for (const sub of this.subs) n += Math.max(0, upTo - sub.last) + (sub.missing?.size ?? 0);
    return n;
  }

  /** Subscribers that have every seq up to `upTo`. */
  caughtUp(upTo) {
    let n = 0;
    for (const sub of this.subs) if (sub.last >= upTo && !sub.missing) n++;
    return n;
  }

  async close() {
    this.closing = true;
    for (const sub of this.subs) sub.ws?.close(1000, 'done');
    const deadline = Date.now() + 5000;
    while (this.subs.some((s) => s.ws && s.ws.readyState !== WebSocket.CLOSED) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    for (const sub of this.subs) sub.ws?.terminate();
  }
}
