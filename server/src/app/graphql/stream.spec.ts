import { Stream, type Listen, type StreamSource } from './stream';

type Msg = { seq: number };
const msg = (seq: number): Msg => ({ seq });

/** An in-process event source standing in for one Redis channel. */
function channel() {
  const listeners = new Set<(m: Msg) => void>();
  const listen: Listen<Msg> = async (push) => {
    listeners.add(push);
    return () => listeners.delete(push);
  };
  return { listen, emit: (m: Msg) => listeners.forEach((l) => l(m)), listening: () => listeners.size };
}

const take = async (it: AsyncIterator<Msg>, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(((await it.next()).value as Msg).seq);
  return out;
};

describe('Stream', () => {
  const gapless = (history: Msg[]): StreamSource<Msg> => ({
    replay: async (_id, after) => history.filter((m) => m.seq > (after as number)),
    key: () => 'room',
    version: (m) => m.seq,
    fill: async (_id, after, before) => history.filter((m) => m.seq > after && m.seq < before),
    start: (after) => ({ key: 'room', version: after as number }),
  });

  it('replays what was missed, then goes live without duplicating what the replay already gave', async () => {
    const ch = channel();
    const history = [1, 2, 3, 4, 5].map(msg);
    const stream = new Stream(gapless(history), '1', 2, ch.listen);
    await new Promise((r) => setImmediate(r));
    // Published while the replay was read: 4 and 5 are in both; 6 is new.
    ch.emit(msg(4));
    ch.emit(msg(5));
    history.push(msg(6));
    ch.emit(msg(6));
    expect(await take(stream, 4)).toEqual([3, 4, 5, 6]);
    await stream.return();
  });

  it('fills a gap when a live event skips ahead', async () => {
    const ch = channel();
    const history = [1, 2].map(msg);
    const stream = new Stream(gapless(history), '1', 2, ch.listen);
    await new Promise((r) => setImmediate(r));
    history.push(msg(3), msg(4), msg(5));
    ch.emit(msg(5)); // 3 and 4 were published while this instance's Redis link was down
    expect(await take(stream, 3)).toEqual([3, 4, 5]);
    await stream.return();
  });

  it('stops listening at once when the subscriber leaves, even while waiting', async () => {
    const ch = channel();
    const stream = new Stream(gapless([]), '1', 0, ch.listen);
    await new Promise((r) => setImmediate(r));
    const pending = stream.next();
    expect(ch.listening()).toBe(1);
    await stream.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(ch.listening()).toBe(0);
  });

  it('ends with the replay error when history no longer reaches back', async () => {
    const ch = channel();
    const stream = new Stream({ replay: async () => Promise.reject(new Error('RESUME_GAP')) }, '1', 99, ch.listen);
    await expect(stream.next()).rejects.toThrow('RESUME_GAP');
    expect(ch.listening()).toBe(0);
  });

  it('a state-like stream sends the current state first and drops live states older than it', async () => {
    const ch = channel();
    const source: StreamSource<Msg> = { replay: async () => [msg(10)], key: () => 'target', version: (m) => m.seq };
    const stream = new Stream(source, 't', undefined, ch.listen);
    await new Promise((r) => setImmediate(r));
    ch.emit(msg(9)); // published before the state was read
    ch.emit(msg(11));
    expect(await take(stream, 2)).toEqual([10, 11]);
    await stream.return();
  });
});
