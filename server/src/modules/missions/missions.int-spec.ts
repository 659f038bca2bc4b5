import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { jpegWithExif } from '../../../test/factories/image.factory';
import { codeOf, type GqlResult } from '../../../test/graphql';
import { subscribe, wsClient } from '../../../test/ws-client';
import { UserRole } from '../users/user.entity';

// ---- a stub KMA getUltraSrtNcst server (real wire format, see shared/fixtures/kma-ultra-ncst.json) ----
const kma = { pty: '0', t1h: '12.5', requests: [] as URLSearchParams[], fail: false };
function startKmaStub(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    kma.requests.push(url.searchParams);
    if (url.pathname !== '/1360000/VilageFcstInfoService_2.0/getUltraSrtNcst' || kma.fail) {
      res.writeHead(500).end();
      return;
    }
    const q = url.searchParams;
    const item = (category: string, obsrValue: string) => ({
      baseDate: q.get('base_date'),
      baseTime: q.get('base_time'),
      category,
      nx: Number(q.get('nx')),
      ny: Number(q.get('ny')),
      obsrValue,
    });
    const body = {
      response: {
        header: { resultCode: '00', resultMsg: 'NORMAL_SERVICE' },
        body: {
          dataType: 'JSON',
          items: { item: [item('PTY', kma.pty), item('REH', '58'), item('RN1', '0'), item('T1H', kma.t1h), item('WSD', '2.4')] },
          pageNo: 1,
          numOfRows: 10,
          totalCount: 5,
        },
      },
    };
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const SEOUL = { latitude: 37.5665, longitude: 126.978 };
const HOUR = 3600_000;

const CREATE = `mutation($input: CreateMissionInput!) { createMission(input: $input) { id title status capacity remainingSlots verification { kind hasPoint radiusMeters weatherCondition } } }`;
const START = `mutation($id: ID!) { startMission(missionId: $id) { id expiresAt mission { id } } }`;
const SUBMIT = `mutation($a: ID!, $p: MissionProofInput!) { submitMissionProof(attemptId: $a, proof: $p) { id status reason rewardPoints photoCheck { hasExif takenAt takenWithinWindow distanceKm takenWithinRadius } } }`;
const MISSION = `query($id: ID!) { mission(id: $id) { id status capacity remainingSlots approvedCount mySubmission { status reason rewardPoints } } }`;

describe('missions', () => {
  let api: TestApi;
  let kmaServer: Server;
  let admin: { token: string; user: { id: number } };

  beforeAll(async () => {
    kmaServer = await startKmaStub();
    const port = (kmaServer.address() as AddressInfo).port;
    api = await startTestApi({
      KMA_BASE_URL: `http://127.0.0.1:${port}/1360000`,
      KMA_SERVICE_KEY: 'test-key',
      UPLOAD_DIR: mkdtempSync(join(tmpdir(), 'ww-missions-')),
      DATABASE_POOL_SIZE: '20',
    });
  });
  afterAll(async () => {
    await api.stop();
    await new Promise((r) => kmaServer.close(r));
  });
  beforeEach(async () => {
    await api.reset();
    api.modules.missions.clock.now = () => new Date();
    kma.pty = '0';
    kma.t1h = '12.5';
    kma.fail = false;
    kma.requests = [];
    admin = await createUser(api, { role: UserRole.ADMIN });
  });

  const gqlAny = (q: string, v?: Record<string, unknown>, t?: string) => api.gql(q, v, t) as Promise<GqlResult<any>>;
  const sql = (q: string, params: unknown[] = []) => api.infra.orm.em.getConnection().execute(q, params);

  async function createMission(verification: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const now = Date.now();
    const data = await api.gqlOk(
      CREATE,
      {
        input: {
          title: 'Mission',
          description: 'Do it',
          startsAt: new Date(now - HOUR),
          endsAt: new Date(now + HOUR),
          rewardPoints: 10,
          verification,
          ...extra,
        },
      },
      admin.token,
    );
    return data.createMission as { id: string; remainingSlots: number | null };
  }
  const locationMission = (extra: Record<string, unknown> = {}) => createMission({ kind: 'LOCATION', ...SEOUL, radiusMeters: 200 }, extra);

  async function start(missionId: string, token: string): Promise<string> {
    return (await api.gqlOk(START, { id: missionId }, token)).startMission.id;
  }
  const submit = (attemptId: string, proof: Record<string, unknown>, token: string) => gqlAny(SUBMIT, { a: attemptId, p: proof }, token);
  const reasonOf = (r: GqlResult) => r.errors?.[0]?.extensions?.reason;

  describe('admin', () => {
    it('lets only admins create, update and close missions, and validates rules', async () => {
      const member = await createUser(api);
      const input = {
        title: 'T',
        description: 'D',
        startsAt: new Date(),
        endsAt: new Date(Date.now() + HOUR),
        rewardPoints: 5,
        verification: { kind: 'CODE', code: 'secret-1' },
      };
      expect(codeOf(await gqlAny(CREATE, { input }, member.token))).toBe('FORBIDDEN');
      expect(codeOf(await gqlAny(CREATE, { input }))).toBe('UNAUTHENTICATED');

      const bad = await gqlAny(
        CREATE,
        { input: { ...input, endsAt: input.startsAt, verification: { kind: 'LOCATION', latitude: 37 } } },
        admin.token,
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(Object.keys(bad.errors![0].extensions!.fields)).toEqual(
        expect.arrayContaining(['endsAt', 'verification.latitude', 'verification.radiusMeters']),
      );
      const badWeather = await gqlAny(
        CREATE,
        { input: { ...input, verification: { kind: 'WEATHER', weatherCondition: 'SUNNY' } } },
        admin.token,
      );
      expect(badWeather.errors![0].extensions!.fields).toHaveProperty(['verification.weatherCondition']);

      const created = (await api.gqlOk(CREATE, { input: { ...input, capacity: 3 } }, admin.token)).createMission;
      expect(created).toMatchObject({
        status: 'OPEN',
        capacity: 3,
        remainingSlots: 3,
        verification: { kind: 'CODE', hasPoint: false, radiusMeters: null, weatherCondition: null },
      });
      const [row] = await sql('select code_hash from missions');
      expect(row.code_hash).toMatch(/^scrypt\$/);
      expect(row.code_hash).not.toContain('secret-1');

      const updated = await api.gqlOk(
        'mutation($id: ID!, $i: UpdateMissionInput!) { updateMission(id: $id, input: $i) { title capacity remainingSlots } }',
        { id: created.id, i: { title: 'New', capacity: 5 } },
        admin.token,
      );
      expect(updated.updateMission).toEqual({ title: 'New', capacity: 5, remainingSlots: 5 });
      const closed = await api.gqlOk('mutation($id: ID!) { closeMission(id: $id) { status } }', { id: created.id }, admin.token);
      expect(closed.closeMission.status).toBe('CLOSED');
      expect(codeOf(await gqlAny('mutation($id: ID!) { closeMission(id: $id) { status } }', { id: created.id }, member.token))).toBe(
        'FORBIDDEN',
      );
    });

    it('resolves missions and submissions through node(id), submissions only for their author and admins', async () => {
      const m = await locationMission();
      expect((await api.gqlOk(MISSION, { id: m.id })).mission).toMatchObject({ remainingSlots: null, capacity: null, mySubmission: null });
      const u = await createUser(api);
      const s = (await submit(await start(m.id, u.token), SEOUL, u.token)).data.submitMissionProof;
      const node = (id: string, token?: string) =>
        api.gqlOk(
          'query($id: ID!) { node(id: $id) { id ... on Mission { title } ... on MissionSubmission { status user { id } mission { id } } } }',
          { id },
          token,
        );
      expect((await node(m.id)).node).toEqual({ id: m.id, title: 'Mission' });
      expect((await node(s.id, u.token)).node).toMatchObject({ status: 'APPROVED', mission: { id: m.id } });
      expect((await node(s.id, admin.token)).node).toMatchObject({ status: 'APPROVED' });
      expect((await node(s.id, (await createUser(api)).token)).node).toBeNull();
      expect((await node(s.id)).node).toBeNull();
      expect(
        codeOf(await gqlAny('mutation($id: ID!) { reviewMissionSubmission(id: $id, approve: true) { status } }', { id: s.id }, u.token)),
      ).toBe('FORBIDDEN');
      expect(codeOf(await gqlAny(START, { id: 'bm9wZTox' }, u.token))).toBe('BAD_USER_INPUT');
    });

    it('lists missions by status with keyset pages', async () => {
      const now = Date.now();
      const mk = (startsAt: number, endsAt: number) =>
        api.gqlOk(
          CREATE,
          {
            input: {
              title: 'M',
              description: '',
              startsAt: new Date(startsAt),
              endsAt: new Date(endsAt),
              rewardPoints: 1,
              verification: { kind: 'CODE', code: 'abcd' },
            },
          },
          admin.token,
        );
      await mk(now + HOUR, now + 2 * HOUR);
      await mk(now - HOUR, now + HOUR);
      await mk(now - HOUR, now + HOUR);
      await mk(now - 2 * HOUR, now - HOUR);
      const list = async (status?: string) =>
        (
          await api.gqlOk('query($s: MissionStatus) { missions(status: $s, first: 10) { edges { node { status } } } }', { s: status })
        ).missions.edges.map((e: any) => e.node.status);
      expect(await list('UPCOMING')).toEqual(['UPCOMING']);
      expect(await list('OPEN')).toEqual(['OPEN', 'OPEN']);
      expect(await list('CLOSED')).toEqual(['CLOSED']);
      expect(await list()).toHaveLength(4);
      const page1 = (await api.gqlOk('{ missions(first: 3) { edges { node { id } } pageInfo { hasNextPage endCursor } } }')).missions;
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = (
        await api.gqlOk('query($a: String) { missions(first: 3, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }', {
          a: page1.pageInfo.endCursor,
        })
      ).missions;
      expect(page2.edges).toHaveLength(1);
      expect(page2.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe('verification kinds', () => {
    it('LOCATION: inside the radius passes and pays, outside is rejected', async () => {
      const m = await locationMission();
      const u = await createUser(api);
      const far = await submit(await start(m.id, u.token), { latitude: 37.58, longitude: 126.978 }, u.token);
      expect(far.data.submitMissionProof).toMatchObject({
        status: 'REJECTED',
        reason: expect.stringMatching(/within 200 m/),
        rewardPoints: null,
      });
      // Missing evidence is not a verdict: the same attempt can still be used.
      const attempt = await start(m.id, u.token);
      expect(codeOf(await submit(attempt, {}, u.token))).toBe('BAD_USER_INPUT');
      const near = await submit(attempt, { latitude: 37.567, longitude: 126.9785 }, u.token);
      expect(near.data.submitMissionProof).toMatchObject({ status: 'APPROVED', rewardPoints: 10, reason: null });
      const me = await api.gqlOk('{ me { points } }', {}, u.token);
      expect(me.me.points).toBe(10);
      const mine = await api.gqlOk(MISSION, { id: m.id }, u.token);
      expect(mine.mission.mySubmission).toEqual({ status: 'APPROVED', reason: null, rewardPoints: 10 });
      expect(reasonOf(await gqlAny(START, { id: m.id }, u.token))).toBe('ALREADY_COMPLETED');
    });

    it('CODE: the right code passes, a wrong one is rejected', async () => {
      const m = await createMission({ kind: 'CODE', code: 'Sunny-Day-7' });
      const u = await createUser(api);
      const wrong = await submit(await start(m.id, u.token), { code: 'sunny-day-7' }, u.token);
      expect(wrong.data.submitMissionProof).toMatchObject({ status: 'REJECTED', reason: 'The code is not right.' });
      const right = await submit(await start(m.id, u.token), { code: '  Sunny-Day-7 ' }, u.token);
      expect(right.data.submitMissionProof.status).toBe('APPROVED');
    });

    it('WEATHER: the live KMA observation at the proof location decides', async () => {
      const m = await createMission({ kind: 'WEATHER', weatherCondition: 'RAIN' });
      const u = await createUser(api);
      kma.pty = '0';
      const dry = await submit(await start(m.id, u.token), SEOUL, u.token);
      expect(dry.data.submitMissionProof).toMatchObject({ status: 'REJECTED', reason: expect.stringMatching(/not raining/) });
      const asked = kma.requests.at(-1)!;
      expect([asked.get('nx'), asked.get('ny'), asked.get('serviceKey'), asked.get('dataType')]).toEqual(['60', '127', 'test-key', 'JSON']);

      // A different grid cell (Busan) where it rains.
      kma.pty = '1';
      const wet = await submit(await start(m.id, u.token), { latitude: 35.1796, longitude: 129.0756 }, u.token);
      expect(wet.data.submitMissionProof.status).toBe('APPROVED');
    });

    it('WEATHER: a temperature threshold, and an outage is SERVICE_UNAVAILABLE (the attempt stays usable)', async () => {
      const m = await createMission({ kind: 'WEATHER', weatherCondition: 'TEMP_LTE:0' });
      const u = await createUser(api);
      kma.t1h = '3.2';
      const warm = await submit(await start(m.id, u.token), { latitude: 33.4996, longitude: 126.5312 }, u.token);
      expect(warm.data.submitMissionProof).toMatchObject({ status: 'REJECTED', reason: expect.stringMatching(/above 0/) });
      kma.fail = true;
      const attempt = await start(m.id, u.token);
      const down = await submit(attempt, { latitude: 35.8714, longitude: 128.6014 }, u.token);
      expect(codeOf(down)).toBe('SERVICE_UNAVAILABLE');
      kma.fail = false;
      kma.t1h = '-1.5';
      const cold = await submit(attempt, { latitude: 35.8714, longitude: 128.6014 }, u.token);
      expect(cold.data.submitMissionProof.status).toBe('APPROVED');
    });
  });

  describe('windows and attempts', () => {
    it('opens exactly at startsAt and closes exactly at endsAt', async () => {
      const startsAt = new Date(Date.now() + HOUR);
      const endsAt = new Date(startsAt.getTime() + HOUR);
      const m = await createMission({ kind: 'CODE', code: 'edge-code' }, { startsAt, endsAt });
      const u = await createUser(api);
      const clock = (t: number) => (api.modules.missions.clock.now = () => new Date(t));

      clock(startsAt.getTime() - 1);
      expect(reasonOf(await gqlAny(START, { id: m.id }, u.token))).toBe('MISSION_NOT_OPEN');
      clock(startsAt.getTime());
      const attempt = await start(m.id, u.token);
      clock(endsAt.getTime() - 1);
      const early = await start(m.id, u.token);
      clock(endsAt.getTime());
      expect(reasonOf(await gqlAny(START, { id: m.id }, u.token))).toBe('MISSION_CLOSED');
      // An attempt started in time cannot be used after the end.
      expect(reasonOf(await submit(attempt, { code: 'edge-code' }, u.token))).toBe('MISSION_CLOSED');
      clock(endsAt.getTime() - 1);
      expect((await submit(early, { code: 'edge-code' }, u.token)).data.submitMissionProof.status).toBe('APPROVED');
    });

    it('refuses a proof after the admin closed the mission', async () => {
      const m = await locationMission();
      const u = await createUser(api);
      const attempt = await start(m.id, u.token);
      await api.gqlOk('mutation($id: ID!) { closeMission(id: $id) { id } }', { id: m.id }, admin.token);
      expect(reasonOf(await submit(attempt, SEOUL, u.token))).toBe('MISSION_CLOSED');
      const [row] = await sql('select approved_count, (select count(*) from points_ledger) as ledger from missions');
      expect([row.approved_count, Number(row.ledger)]).toEqual([0, 0]);
    });

    it('consumes an attempt once, refuses expired ones and other users’ attempts', async () => {
      const m = await createMission({ kind: 'CODE', code: 'once-only' });
      const u = await createUser(api);
      const other = await createUser(api);
      const attempt = await start(m.id, u.token);
      const key = `mission:attempt:${u.user.id}:${attempt}`;
      const ttl = await api.infra.redis.client.ttl(key);
      expect(ttl).toBeGreaterThan(500);
      expect(ttl).toBeLessThanOrEqual(600);

      expect(reasonOf(await submit(attempt, { code: 'once-only' }, other.token))).toBe('ATTEMPT_EXPIRED');
      expect((await submit(attempt, { code: 'wrong' }, u.token)).data.submitMissionProof.status).toBe('REJECTED');
      expect(reasonOf(await submit(attempt, { code: 'once-only' }, u.token))).toBe('ATTEMPT_EXPIRED');

      const expiring = await start(m.id, u.token);
      await api.infra.redis.client.pexpire(`mission:attempt:${u.user.id}:${expiring}`, 1);
      while (await api.infra.redis.client.exists(`mission:attempt:${u.user.id}:${expiring}`)) await new Promise((r) => setTimeout(r, 5));
      const expired = await submit(expiring, { code: 'once-only' }, u.token);
      expect(codeOf(expired)).toBe('CONFLICT');
      expect(reasonOf(expired)).toBe('ATTEMPT_EXPIRED');
      expect(reasonOf(await submit('not-an-attempt', { code: 'once-only' }, u.token))).toBe('ATTEMPT_EXPIRED');
    });

    it('uses each of 20 concurrent submissions of one attempt at most once', async () => {
      const m = await createMission({ kind: 'CODE', code: 'race-code' });
      const u = await createUser(api);
      const attempt = await start(m.id, u.token);
      const results = await Promise.all(Array.from({ length: 20 }, () => submit(attempt, { code: 'race-code' }, u.token)));
      expect(results.filter((r) => r.data?.submitMissionProof?.status === 'APPROVED')).toHaveLength(1);
      expect(results.filter((r) => reasonOf(r) === 'ATTEMPT_EXPIRED')).toHaveLength(19);
    });
  });

  describe('first-come rewards', () => {
    it('1,000 users at once on a capacity-10 mission: exactly 10 rewards, 990 MISSION_FULL, exact ledger', async () => {
      const m = await locationMission({ capacity: 10 });
      const users = [];
      for (let i = 0; i < 1000; i += 1) users.push(await createUser(api));
      const attempts: string[] = [];
      for (let i = 0; i < users.length; i += 100)
        attempts.push(...(await Promise.all(users.slice(i, i + 100).map((u) => start(m.id, u.token)))));

      const results = await Promise.all(users.map((u, i) => submit(attempts[i], SEOUL, u.token)));
      const approved = results.filter((r) => r.data?.submitMissionProof?.status === 'APPROVED');
      const full = results.filter((r) => codeOf(r) === 'CONFLICT' && reasonOf(r) === 'MISSION_FULL');
      expect(approved).toHaveLength(10);
      expect(full).toHaveLength(990);

      const [ledger] = await sql(
        'select count(*) as n, sum(amount) as total, count(distinct user_id) as users from points_ledger where mission_id = ?',
        [Number(Buffer.from(m.id, 'base64url').toString().split(':')[1])],
      );
      expect([Number(ledger.n), Number(ledger.total), Number(ledger.users)]).toEqual([10, 100, 10]);
      const [points] = await sql('select sum(points) as total, count(*) as winners from users where points > 0');
      expect([Number(points.total), Number(points.winners)]).toEqual([100, 10]);
      const [mismatch] = await sql(
        'select count(*) as n from users u where u.points <> (select coalesce(sum(amount), 0) from points_ledger l where l.user_id = u.id)',
      );
      expect(Number(mismatch.n)).toBe(0);
      const view = await api.gqlOk(MISSION, { id: m.id });
      expect(view.mission).toMatchObject({ remainingSlots: 0, approvedCount: 10 });
      const missionId = Number(Buffer.from(m.id, 'base64url').toString().split(':')[1]);
      expect(await api.infra.redis.client.scard(`mission:${missionId}:winners`)).toBe(10);
      expect(await api.infra.redis.client.zcard(`mission:${missionId}:pending`)).toBe(0);
    });

    it('50 concurrent proofs by one user: one completion', async () => {
      const m = await locationMission();
      const u = await createUser(api);
      const attempts = await Promise.all(Array.from({ length: 50 }, () => start(m.id, u.token)));
      const results = await Promise.all(attempts.map((a) => submit(a, SEOUL, u.token)));
      expect(results.filter((r) => r.data?.submitMissionProof?.status === 'APPROVED')).toHaveLength(1);
      const others = results.filter((r) => r.errors);
      expect(others).toHaveLength(49);
      for (const r of others) expect(['ALREADY_COMPLETED', 'SUBMISSION_IN_PROGRESS']).toContain(reasonOf(r));
      const [row] = await sql('select count(*) as n, sum(amount) as total from points_ledger where user_id = ?', [u.user.id]);
      expect([Number(row.n), Number(row.total)]).toEqual([1, 10]);
      expect((await api.gqlOk('{ me { points } }', {}, u.token)).me.points).toBe(10);
    });

    it('a failure between reservation and commit releases the slot and grants nothing', async () => {
      const m = await locationMission({ capacity: 1 });
      const [a, b, c] = [await createUser(api), await createUser(api), await createUser(api)];
      const spy = jest.spyOn(api.modules.missions.grants, 'commitGrant').mockRejectedValueOnce(new Error('simulated crash before commit'));
      const failed = await submit(await start(m.id, a.token), SEOUL, a.token);
      expect(codeOf(failed)).toBe('INTERNAL_SERVER_ERROR');
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      const [ledger] = await sql('select count(*) as n from points_ledger');
      expect(Number(ledger.n)).toBe(0);
      expect((await api.gqlOk(MISSION, { id: m.id })).mission.remainingSlots).toBe(1);

      expect((await submit(await start(m.id, b.token), SEOUL, b.token)).data.submitMissionProof.status).toBe('APPROVED');
      expect(reasonOf(await gqlAny(START, { id: m.id }, c.token))).toBe('MISSION_FULL');
      expect((await api.gqlOk('{ me { points } }', {}, a.token)).me.points).toBe(0);
    });

    it('a failure inside the transaction rolls back every write', async () => {
      const m = await locationMission({ capacity: 2 });
      const u = await createUser(api);
      // The ledger insert fails after the mission counter and submission were written in the same transaction.
      await sql("insert into points_ledger (user_id, amount, kind, mission_id, created_at) values (?, 0, 'MANUAL', ?, now())", [
        u.user.id,
        Number(Buffer.from(m.id, 'base64url').toString().split(':')[1]),
      ]);
      const r = await submit(await start(m.id, u.token), SEOUL, u.token);
      expect(reasonOf(r)).toBe('ALREADY_COMPLETED');
      const [row] = await sql(
        'select approved_count, (select count(*) from mission_submissions) as subs, (select points from users where id = ?) as points from missions',
        [u.user.id],
      );
      expect([row.approved_count, Number(row.subs), row.points]).toEqual([0, 0, 0]);
      const missionId = Number(Buffer.from(m.id, 'base64url').toString().split(':')[1]);
      expect(await api.infra.redis.client.zcard(`mission:${missionId}:pending`)).toBe(0);
    });

    it('MySQL stays the authority when Redis slot state is lost or wrong', async () => {
      const m = await locationMission({ capacity: 2 });
      const missionId = Number(Buffer.from(m.id, 'base64url').toString().split(':')[1]);
      const users = [await createUser(api), await createUser(api), await createUser(api), await createUser(api)];
      const attempts = await Promise.all(users.map((u) => start(m.id, u.token)));
      for (const i of [0, 1]) expect((await submit(attempts[i], SEOUL, users[i].token)).data.submitMissionProof.status).toBe('APPROVED');
      const redis = api.infra.redis.client;
      // Lost: reseeded from the ledger on the next reservation.
      await redis.del(`mission:${missionId}:state`, `mission:${missionId}:winners`);
      expect(reasonOf(await submit(attempts[2], SEOUL, users[2].token))).toBe('MISSION_FULL');
      expect(await redis.scard(`mission:${missionId}:winners`)).toBe(2);
      // Wrong (a larger capacity, no winners): Redis lets the reservation through, the transaction refuses it.
      await redis.del(`mission:${missionId}:winners`);
      await redis.hset(`mission:${missionId}:state`, 'capacity', 100);
      expect(reasonOf(await submit(attempts[3], SEOUL, users[3].token))).toBe('MISSION_FULL');
      const [ledger] = await sql('select count(*) as n from points_ledger');
      expect(Number(ledger.n)).toBe(2);
      expect(await redis.exists(`mission:${missionId}:state`)).toBe(0); // forgotten, to be reseeded
    });

    it('a reservation left by a crashed process expires and its slot comes back', async () => {
      const m = await locationMission({ capacity: 1 });
      const missionId = Number(Buffer.from(m.id, 'base64url').toString().split(':')[1]);
      const [ghost, u] = [await createUser(api), await createUser(api)];
      const slots = api.modules.missions.grants.slots;
      await api.modules.missions.grants.seed(api.infra.orm.em.fork(), missionId);
      expect(await slots.reserve(missionId, ghost.user.id)).toBe('RESERVED'); // ...and the process dies here
      expect(reasonOf(await submit(await start(m.id, u.token), SEOUL, u.token))).toBe('MISSION_FULL');
      // Let the lease run out (instead of waiting MISSION_RESERVATION_LEASE_SECONDS).
      await api.infra.redis.client.zadd(`mission:${missionId}:pending`, 1, String(ghost.user.id));
      expect((await submit(await start(m.id, u.token), SEOUL, u.token)).data.submitMissionProof.status).toBe('APPROVED');
    });

    it('a crash after the commit but before Redis heard of it cannot over-grant', async () => {
      const m = await locationMission({ capacity: 1 });
      const missionId = Number(Buffer.from(m.id, 'base64url').toString().split(':')[1]);
      const [a, b] = [await createUser(api), await createUser(api)];
      const attemptB = await start(m.id, b.token);
      const slots = api.modules.missions.grants.slots;
      const confirm = jest.spyOn(slots, 'confirm').mockResolvedValueOnce(undefined); // the process "dies" before confirming
      expect((await submit(await start(m.id, a.token), SEOUL, a.token)).data.submitMissionProof.status).toBe('APPROVED');
      confirm.mockRestore();
      // The orphaned lease expires: Redis now believes the slot is free.
      await api.infra.redis.client.zadd(`mission:${missionId}:pending`, 1, String(a.user.id));
      expect(reasonOf(await submit(attemptB, SEOUL, b.token))).toBe('MISSION_FULL');
      const [ledger] = await sql('select count(*) as n from points_ledger');
      expect(Number(ledger.n)).toBe(1);
      // The disagreement made Redis forget the mission; reseeding from the ledger knows the winner again.
      expect(await api.infra.redis.client.exists(`mission:${missionId}:state`)).toBe(0);
      expect(await slots.reserve(missionId, b.user.id)).toBe('NOT_SEEDED');
      await api.modules.missions.grants.seed(api.infra.orm.em.fork(), missionId);
      expect(await api.infra.redis.client.sismember(`mission:${missionId}:winners`, String(a.user.id))).toBe(1);
      expect(await slots.reserve(missionId, b.user.id)).toBe('FULL');
    });

    it('streams remainingSlots through missionUpdated', async () => {
      const m = await locationMission({ capacity: 3 });
      const client = wsClient(api.url);
      const sub = await subscribe(
        client,
        'subscription($id: ID!) { missionUpdated(missionId: $id) { id remainingSlots approvedCount title } }',
        { id: m.id },
      );
      // The mission as it is now comes first, then every change.
      expect((await sub.nth(1)).missionUpdated).toEqual({ id: m.id, remainingSlots: 3, approvedCount: 0, title: 'Mission' });
      const u = await createUser(api);
      await submit(await start(m.id, u.token), SEOUL, u.token);
      expect((await sub.nth(2)).missionUpdated).toEqual({ id: m.id, remainingSlots: 2, approvedCount: 1, title: 'Mission' });
      await api.gqlOk(
        'mutation($id: ID!, $i: UpdateMissionInput!) { updateMission(id: $id, input: $i) { id } }',
        { id: m.id, i: { title: 'Renamed' } },
        admin.token,
      );
      // (`until`, not `nth(2)`: nth counts from the first event again once it has waited)
      expect((await sub.until((e) => e.missionUpdated.title === 'Renamed')).missionUpdated).toMatchObject({ remainingSlots: 2 });
      sub.close();
      await client.dispose();
    });
  });

  describe('photos', () => {
    async function upload(token: string, file: Buffer): Promise<string> {
      const form = new FormData();
      form.append('file', new Blob([file], { type: 'image/jpeg' }), 'photo.jpg');
      const res = await fetch(api.url.replace('/graphql', '/uploads'), {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    }
    const QUEUE = `query($m: ID, $s: MissionSubmissionStatus) { missionSubmissions(missionId: $m, status: $s) { edges { node { id status user { id } photoUrl photoCheck { takenWithinWindow takenWithinRadius distanceKm } } } } }`;
    const REVIEW = `mutation($id: ID!, $ok: Boolean!, $r: String) { reviewMissionSubmission(id: $id, approve: $ok, reason: $r) { status reason rewardPoints } }`;

    it('queues photos for admin review with their EXIF findings; approval pays, rejection allows a retry', async () => {
      const startsAt = new Date(Date.now() - HOUR);
      const m = await createMission({ kind: 'PHOTO', ...SEOUL, radiusMeters: 1000 }, { startsAt, capacity: 1 });
      const [u, v] = [await createUser(api), await createUser(api)];
      const kst = new Date(Date.now() + 9 * HOUR).toISOString().replace(/-/g, ':').replace('T', ' ').slice(0, 19);
      const good = await upload(u.token, jpegWithExif({ takenAt: kst, latitude: 37.567, longitude: 126.979 }));

      const attempt = await start(m.id, u.token);
      expect(codeOf(await submit(attempt, {}, u.token))).toBe('BAD_USER_INPUT');
      const otherUpload = await upload(v.token, jpegWithExif({}));
      expect(codeOf(await submit(attempt, { uploadId: otherUpload }, u.token))).toBe('BAD_USER_INPUT');

      const pending = await submit(attempt, { uploadId: good }, u.token);
      expect(pending.data.submitMissionProof).toMatchObject({
        status: 'PENDING_REVIEW',
        rewardPoints: null,
        photoCheck: { hasExif: true, takenWithinWindow: true, distanceKm: 0.1, takenWithinRadius: true },
      });
      expect(reasonOf(await gqlAny(START, { id: m.id }, u.token))).toBe('REVIEW_PENDING');
      const vPending = await submit(
        await start(m.id, v.token),
        { uploadId: await upload(v.token, jpegWithExif({ takenAt: '2001:01:01 00:00:00' })) },
        v.token,
      );
      expect(vPending.data.submitMissionProof.photoCheck).toMatchObject({ takenWithinWindow: false, distanceKm: null });

      expect(codeOf(await gqlAny(QUEUE, { m: m.id }, u.token))).toBe('FORBIDDEN');
      const queue = (await api.gqlOk(QUEUE, { m: m.id }, admin.token)).missionSubmissions.edges.map((e: any) => e.node);
      expect(queue).toHaveLength(2);
      expect(queue[0]).toMatchObject({ status: 'PENDING_REVIEW', photoUrl: `/uploads/${good}`, photoCheck: { takenWithinRadius: true } });
      const photo = await fetch(api.url.replace('/graphql', queue[0].photoUrl), { headers: { authorization: `Bearer ${admin.token}` } });
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toBe('image/jpeg');

      const rejected = await api.gqlOk(REVIEW, { id: queue[1].id, ok: false, r: 'Blurry' }, admin.token);
      expect(rejected.reviewMissionSubmission).toEqual({ status: 'REJECTED', reason: 'Blurry', rewardPoints: null });
      const approved = await api.gqlOk(REVIEW, { id: queue[0].id, ok: true }, admin.token);
      expect(approved.reviewMissionSubmission).toEqual({ status: 'APPROVED', reason: null, rewardPoints: 10 });
      expect(reasonOf(await gqlAny(REVIEW, { id: queue[0].id, ok: true }, admin.token))).toBe('NOT_PENDING_REVIEW');
      expect((await api.gqlOk('{ me { points } }', {}, u.token)).me.points).toBe(10);

      // v was rejected and may retry, but the only slot is gone.
      expect(reasonOf(await gqlAny(START, { id: m.id }, v.token))).toBe('MISSION_FULL');
      expect((await api.gqlOk(QUEUE, { m: m.id, s: 'APPROVED' }, admin.token)).missionSubmissions.edges).toHaveLength(1);
    });

    it('does not approve past capacity in review', async () => {
      const m = await createMission({ kind: 'PHOTO' }, { capacity: 1 });
      const [u, v] = [await createUser(api), await createUser(api)];
      for (const x of [u, v]) await submit(await start(m.id, x.token), { uploadId: await upload(x.token, jpegWithExif({})) }, x.token);
      const queue = (await api.gqlOk(QUEUE, { m: m.id }, admin.token)).missionSubmissions.edges.map((e: any) => e.node);
      const results = await Promise.all(queue.map((s: any) => gqlAny(REVIEW, { id: s.id, ok: true }, admin.token)));
      expect(results.filter((r) => r.data?.reviewMissionSubmission?.status === 'APPROVED')).toHaveLength(1);
      expect(results.filter((r) => reasonOf(r) === 'MISSION_FULL')).toHaveLength(1);
    });
  });

  describe('leaderboard', () => {
    it('ranks users by ledger points and rebuilds from the ledger when the sorted set is missing', async () => {
      const [a, b, c] = [await createUser(api), await createUser(api), await createUser(api)];
      const m1 = await locationMission({ rewardPoints: 30 });
      const m2 = await locationMission({ rewardPoints: 20 });
      for (const [u, m] of [
        [a, m1],
        [a, m2],
        [b, m1],
        [c, m2],
      ] as const)
        await submit(await start(m.id, u.token), SEOUL, u.token);
      const board = async () =>
        (await api.gqlOk('{ leaderboard(first: 10) { rank points user { id } } }')).leaderboard
          .map((e: any) => [e.rank, e.points, e.user.id])
          .sort((x: any[], y: any[]) => x[0] - y[0] || String(x[2]).localeCompare(String(y[2]))); // ties in any order
      const gid = (u: { user: { id: number } }) => Buffer.from(`User:${u.user.id}`).toString('base64url');
      const expected = [
        [1, 50, gid(a)],
        [2, 30, gid(b)],
        [3, 20, gid(c)],
      ];
      expect(await board()).toEqual(expected);
      await api.infra.redis.client.del('leaderboard:points');
      expect(await board()).toEqual(expected);
      expect(await api.infra.redis.client.exists('leaderboard:points')).toBe(1);
      const m3 = await locationMission({ rewardPoints: 10 });
      await submit(await start(m3.id, c.token), SEOUL, c.token);
      expect(await board()).toEqual(
        [
          [1, 50, gid(a)],
          [2, 30, gid(b)],
          [2, 30, gid(c)],
        ].sort((x: any[], y: any[]) => x[0] - y[0] || String(x[2]).localeCompare(String(y[2]))),
      );
      expect(codeOf(await gqlAny('{ leaderboard(first: 101) { rank } }'))).toBe('BAD_USER_INPUT');
    });

    it('matches the ledger after a rebuild that races with grants', async () => {
      const m = await locationMission({ rewardPoints: 5 });
      const users = await Promise.all(Array.from({ length: 30 }, () => createUser(api)));
      const attempts = await Promise.all(users.map((u) => start(m.id, u.token)));
      const redis = api.infra.redis.client;
      await redis.del('leaderboard:points');
      await Promise.all([
        ...users.map((u, i) => submit(attempts[i], SEOUL, u.token)),
        ...Array.from({ length: 5 }, () => api.gqlOk('{ leaderboard(first: 100) { rank } }')),
      ]);
      const board = await redis.zrangebyscore('leaderboard:points', '(0', '+inf', 'WITHSCORES');
      const ledger = (await sql('select user_id, sum(amount) as total from points_ledger group by user_id')) as {
        user_id: number;
        total: string;
      }[];
      expect(board.length / 2).toBe(30);
      const fromBoard = new Map<number, number>();
      for (let i = 0; i < board.length; i += 2) fromBoard.set(Number(board[i]), Number(board[i + 1]));
      for (const row of ledger) expect(fromBoard.get(row.user_id)).toBe(Number(row.total));
    });

    it('is empty (and stays rebuilt) without any points', async () => {
      expect((await api.gqlOk('{ leaderboard { rank } }')).leaderboard).toEqual([]);
      expect(await api.infra.redis.client.exists('leaderboard:points')).toBe(1);
    });
  });
});
