import { GraphQLBoolean, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { subscribe, wsClient } from '../../../test/ws-client';
import type { Context } from '../graphql/context';
import { startApi, type RunningApi } from './api';

const TOPIC = 'TEST_NICKNAME_READ';

/**
 * A schema whose subscription resolver reads through `ctx.em` and never asks for a fresh context itself: only the edge
 * can make each event see what MySQL holds now.
 */
function schemaReadingThroughContext(api: TestApi) {
  const seenContexts = new Set<Context>();
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean, resolve: () => true } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        nickname: {
          type: GraphQLString,
          args: { userId: { type: new GraphQLNonNull(GraphQLInt) } },
          subscribe: () => api.infra.pubsub.subscribe(TOPIC)[Symbol.asyncIterator](),
          resolve: async (_payload: unknown, args: { userId: number }, ctx: Context) => {
            seenContexts.add(ctx);
            // By entity name: app/ imports no module.
            const user = await ctx.em.findOneOrFail<{ id: number; nickname: string }>('User', { id: args.userId });
            return `${user.nickname}|${ctx.user?.id ?? 'anonymous'}|contexts:${seenContexts.size}`;
          },
        },
      },
    }),
  });
  return schema;
}

/** Resolves once Redis has a subscriber on the topic's channel (the server subscribes after acknowledging). */
async function subscribed(api: TestApi, topic: string): Promise<void> {
  const channel = `${api.config.REDIS_PREFIX}${topic}`;
  for (;;) {
    const [, count] = (await api.infra.redis.publisher.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(count) > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('subscriptions: a fresh context per event', () => {
  let api: TestApi;
  let edge: RunningApi;
  beforeAll(async () => {
    api = await startTestApi();
    edge = await startApi(
      {
        infra: api.infra,
        schema: schemaReadingThroughContext(api),
        authenticate: (h) => api.modules.auth.tokens.authenticate(h),
        routes: [],
      },
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await edge.stop();
    await api.stop();
  });

  it('gives each event its own entity manager: a row changed between two events is read anew', async () => {
    const { user, token } = await createUser(api, { nickname: 'before' });
    const client = wsClient(edge.url, token);
    const sub = await subscribe(client, 'subscription($u: Int!) { nickname(userId: $u) }', { u: user.id });
    await subscribed(api, TOPIC);
    await api.infra.pubsub.publish(TOPIC, { n: 1 });
    expect(await sub.nth(1)).toEqual({ nickname: `before|${user.id}|contexts:1` });

    await api.infra.orm.em.getConnection().execute('update users set nickname = ? where id = ?', ['after', user.id]);
    await api.infra.pubsub.publish(TOPIC, { n: 2 });
    expect(await sub.nth(2)).toEqual({ nickname: `after|${user.id}|contexts:2` });
    sub.close();
    await client.dispose();
  });
});
