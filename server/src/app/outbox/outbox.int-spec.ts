import type { Knex } from '@mikro-orm/mysql';
import { resetStores } from '../../../test/db';
import { testConfig } from '../../../test/test-config';
import { closeInfra, createInfra } from '../../bootstrap';
import type { DomainEvent, StoredEvent } from '../events';
import type { Infra } from '../infra';
import { Outbox } from './outbox';
import { OutboxRelay } from './relay';
import { wakeRelays } from './wake';

const liked = (actorId: number): DomainEvent => ({ type: 'TargetLiked', actorId, targetType: 'Post', targetId: 1, ownerId: 2 });

describe('transactional outbox', () => {
  let infra: Infra;
  const knex = (): Knex => infra.orm.em.getConnection().getKnex();
  const unsent = async () => Number((await knex().raw('select count(*) as n from outbox_events where sent_at is null'))[0][0].n);

  beforeAll(async () => {
    infra = await createInfra(testConfig(), 'api', { migrate: true });
  });
  afterAll(async () => {
    await closeInfra(infra);
  });
  beforeEach(async () => {
    await resetStores(infra);
  });

  it('delivers the events of committed transactions once, and never those of a rolled-back one', async () => {
    const delivered: StoredEvent[] = [];
    const relay = new OutboxRelay(knex, async (events) => void delivered.push(...events), infra.logger);
    const outbox = new Outbox(knex, async () => undefined);
    await outbox.transaction(async (_trx, emit) => emit(liked(1)));
    await expect(
      outbox.transaction(async (_trx, emit) => {
        emit(liked(2));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await outbox.transaction(async (_trx, emit) => {
      emit(liked(3));
      emit(liked(4));
    });
    expect(await relay.sweep()).toBe(3);
    expect(await relay.sweep()).toBe(0);
    expect(delivered.map((e) => (e.type === 'TargetLiked' ? e.actorId : 0))).toEqual([1, 3, 4]);
    expect(new Set(delivered.map((e) => e.id)).size).toBe(3);
    expect(delivered.every((e) => !Number.isNaN(Date.parse(e.occurredAt)))).toBe(true);
    expect(await unsent()).toBe(0);
  });

  it('relays in several processes share the rows: each event is handed on exactly once', async () => {
    const outbox = new Outbox(knex, async () => undefined);
    for (let i = 0; i < 20; i++)
      await outbox.transaction(async (_trx, emit) => Array.from({ length: 60 }, (_, j) => emit(liked(i * 100 + j))));
    const seen: number[] = [];
    // A slow sink keeps each batch's rows locked while the other relays look for work.
    const sink = async (events: StoredEvent[]) => {
      await new Promise((r) => setTimeout(r, 20));
      seen.push(...events.map((e) => e.id));
    };
    const relays = [1, 2, 3].map(() => new OutboxRelay(knex, sink, infra.logger));
    await Promise.all(relays.map((r) => r.sweep()));
    expect(seen).toHaveLength(1200);
    expect(new Set(seen).size).toBe(1200);
    expect(await unsent()).toBe(0);
  });

  it('a sink that fails leaves its batch in MySQL for the next sweep; nothing is lost', async () => {
    let failing = true;
    const delivered: StoredEvent[] = [];
    const relay = new OutboxRelay(
      knex,
      async (events) => {
        if (failing) throw new Error('Redis is down');
        delivered.push(...events);
      },
      infra.logger,
    );
    const outbox = new Outbox(knex, async () => undefined);
    await outbox.transaction(async (_trx, emit) => emit(liked(7)));
    expect(await relay.sweep()).toBe(0);
    expect(await unsent()).toBe(1);
    failing = false;
    expect(await relay.sweep()).toBe(1);
    expect(delivered).toHaveLength(1);
  });

  it('recording an event never waits on Redis: the commit returns while the wake-up cannot be sent', async () => {
    const stuck = { ...infra.pubsub, publish: () => new Promise<void>(() => undefined) };
    const outbox = new Outbox(knex, wakeRelays(stuck, infra.logger));
    const started = Date.now();
    const value = await outbox.transaction(async (_trx, emit) => {
      emit(liked(8));
      return 'committed';
    });
    expect(value).toBe('committed');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await unsent()).toBe(1);
  });

  it('callers arriving during a sweep share one follow-up sweep that picks up their events', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const relay = new OutboxRelay(
      knex,
      async (events) => {
        batches.push(events.map((e) => e.id));
        if (batches.length === 1) await gate;
      },
      infra.logger,
    );
    const outbox = new Outbox(knex, async () => undefined);
    await outbox.transaction(async (_trx, emit) => emit(liked(1)));
    const first = relay.sweep();
    await new Promise((r) => setTimeout(r, 50));
    await outbox.transaction(async (_trx, emit) => emit(liked(2)));
    const followers = [relay.sweep(), relay.sweep(), relay.sweep()];
    release();
    await Promise.all([first, ...followers]);
    expect(batches.map((b) => b.length)).toEqual([1, 1]);
  });
});
