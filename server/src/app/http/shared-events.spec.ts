import 'reflect-metadata';
import { parse, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { RESOLVERS } from '../../modules/index';
import { buildAppSchema } from '../graphql/build-schema';
import { Frames, CLOSE_SLOW_CONSUMER } from './frames';
import { SharedEvents } from './shared-events';

describe('shared subscription events', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema({ resolvers: RESOLVERS });
  });
  const args = (query: string, variableValues: Record<string, unknown> = {}): ExecutionArgs => ({
    schema,
    document: parse(query),
    variableValues,
  });

  async function runs(query: string, times = 3) {
    const shared = new SharedEvents();
    const payload = { seq: 1 };
    let executions = 0;
    const run = () => shared.run(args(query), payload, async () => ({ data: { n: ++executions } }) as ExecutionResult);
    await Promise.all(Array.from({ length: times }, run));
    return executions;
  }

  it('executes an event once for every subscriber of a shared field with a viewer-independent selection', async () => {
    expect(await runs('subscription { chatMessageAdded(roomId: "r") { seq body author { id nickname } } }')).toBe(1);
    expect(await runs('subscription { roomPresenceChanged(roomId: "r") { presentCount } }')).toBe(1);
    expect(await runs('subscription { missionUpdated(missionId: "m") { id remainingSlots } }')).toBe(1);
  });

  it('executes per subscriber when the selection reads who is asking, or the field is not shared', async () => {
    expect(await runs('subscription { chatMessageAdded(roomId: "r") { seq author { email } } }')).toBe(3);
    expect(await runs('subscription { missionUpdated(missionId: "m") { id mySubmission { id } } }')).toBe(3);
    expect(await runs('subscription { voteCountsChanged(targetId: "t") { likeCount } }')).toBe(3);
    expect(await runs('subscription { notificationAdded { id } }')).toBe(3);
  });

  it('keeps different variables and different events apart', async () => {
    const shared = new SharedEvents();
    let executions = 0;
    const q = 'subscription($r: ID!) { chatMessageAdded(roomId: $r) { seq } }';
    const exec = async () => ({ data: { n: ++executions } }) as ExecutionResult;
    const one = { seq: 1 };
    await shared.run(args(q, { r: 'a' }), one, exec);
    await shared.run(args(q, { r: 'a' }), one, exec);
    await shared.run(args(q, { r: 'b' }), one, exec);
    await shared.run(args(q, { r: 'a' }), { seq: 2 }, exec);
    expect(executions).toBe(3);
  });
});

describe('frames written once', () => {
  function socket(buffered = 0) {
    const sent: string[] = [];
    const closed: number[] = [];
    const s = {
      bufferedAmount: buffered,
      send: (data: string, cb?: (err?: Error) => void) => {
        sent.push(data);
        cb?.();
      },
      close: (code: number) => closed.push(code),
    };
    return { s, sent, closed };
  }

  it("sends a shared result's JSON, made once, inside each socket's own frame", () => {
    const frames = new Frames({ slowBytes: 1024, slowForMs: 50 });
    const result = { data: { chatMessageAdded: { seq: 7, body: 'ends with "}' } } };
    frames.share(result);
    const a = socket();
    const b = socket();
    frames.attach(a.s as never);
    frames.attach(b.s as never);
    for (const [id, sock] of [
      ['1', a],
      ['2', b],
    ] as const) {
      sock.s.send(JSON.stringify({ id, type: 'next', payload: result }, frames.replacer));
    }
    expect(JSON.parse(a.sent[0]!)).toEqual({ id: '1', type: 'next', payload: result });
    expect(JSON.parse(b.sent[0]!)).toEqual({ id: '2', type: 'next', payload: result });
    // A result that is not shared goes through untouched.
    const own = { data: { x: 1 } };
    a.s.send(JSON.stringify({ id: '1', type: 'next', payload: own }, frames.replacer));
    expect(JSON.parse(a.sent[1]!).payload).toEqual(own);
  });

  it('closes a socket that stays behind, with the code that makes it reconnect and resume', async () => {
    const frames = new Frames({ slowBytes: 1024, slowForMs: 30 });
    const lagging = socket(5000);
    frames.attach(lagging.s as never);
    lagging.s.send('{"id":"1"}');
    expect(lagging.closed).toEqual([]);
    await new Promise((r) => setTimeout(r, 40));
    const failed = new Promise((resolve) => lagging.s.send('{"id":"1"}', resolve));
    expect(lagging.closed).toEqual([CLOSE_SLOW_CONSUMER]);
    expect(await failed).toBeInstanceOf(Error);
    // A socket that catches up is not closed.
    const fine = socket(5000);
    frames.attach(fine.s as never);
    fine.s.send('a');
    fine.s.bufferedAmount = 0;
    await new Promise((r) => setTimeout(r, 40));
    fine.s.send('b');
    expect(fine.closed).toEqual([]);
  });
});
