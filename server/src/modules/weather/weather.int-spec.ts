import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';
import { kmaFixture, startKmaStub, warningsBody, type KmaStub } from '../../../test/stubs/kma-stub';
import { testConfig } from '../../../test/test-config';
import { subscribe, wsClient } from '../../../test/ws-client';
import { QueueName } from '../../app/queue/queues';
import { startWorker } from '../../main.worker';
import { UserRole } from '../users/user.entity';
import { KmaClient, KmaError } from './kma.client';
import { toKmaTime } from './kma.grid';

const ALERTS = `query($p: Province, $a: Boolean) { weatherAlerts(province: $p, activeOnly: $a) { areaCode areaName province kind level command cancelled } }`;
const ROOMS = `query($s: ChatRoomStatus) { chatRooms(status: $s) { id province title status archivedAt pinnedCard activeAlerts { kind level areaName } } }`;

/** A getPwnCd row for the Seoul 동북권 zone, with KMA times relative to now. */
function seoulRow(tmSeq: number, command: string, warnStress: number, extra: Record<string, unknown> = {}) {
  const tmFc = toKmaTime(new Date(Date.now() - (100 - tmSeq) * 60_000));
  return {
    stnId: '109',
    tmFc,
    tmSeq,
    areaCode: 'L1100200',
    areaName: '서울동북권',
    warnVar: 2,
    warnStress,
    command,
    startTime: command === '2' ? 0 : tmFc,
    endTime: command === '2' ? tmFc : 0,
    allEndTime: 0,
    cancel: '0',
    ...extra,
  };
}

describe('KMA client against a stub portal', () => {
  let stub: KmaStub;
  let client: KmaClient;
  beforeAll(async () => {
    stub = await startKmaStub();
    client = new KmaClient({ baseUrl: stub.url, serviceKey: 'key/with+special=chars', timeoutMs: 300 });
  });
  afterAll(() => stub.close());

  it('sends the key encoded once, JSON, explicit dates, and reads rows', async () => {
    const rows = await client.warnings('20260724', '20260729');
    expect(rows).toHaveLength(6);
    const q = stub.log.at(-1)!.query;
    expect(q.get('serviceKey')).toBe('key/with+special=chars');
    expect(q.get('dataType')).toBe('JSON');
    expect([q.get('fromTmFc'), q.get('toTmFc')]).toEqual(['20260724', '20260729']);
  });

  it('maps every answer shape', async () => {
    stub.warnings = () => ({ body: kmaFixture('kma-wrn-nodata.json') });
    expect(await client.warnings('20260724', '20260729')).toEqual([]);
    stub.warnings = () => ({ body: warningsBody([seoulRow(1, '1', 0)], true) });
    expect(await client.warnings('20260724', '20260729')).toHaveLength(1);
    stub.warnings = () => ({ body: kmaFixture('kma-error-key.xml') });
    await expect(client.warnings('20260724', '20260729')).rejects.toMatchObject({ kind: 'GATEWAY', code: '30' });
    stub.warnings = () => ({ status: 503, body: 'Service Unavailable' });
    await expect(client.warnings('20260724', '20260729')).rejects.toMatchObject({ kind: 'HTTP' });
    stub.warnings = () => ({ body: '<<<garbage' });
    await expect(client.warnings('20260724', '20260729')).rejects.toBeInstanceOf(KmaError);
    stub.warnings = () => ({ body: '', hang: true });
    await expect(client.warnings('20260724', '20260729')).rejects.toMatchObject({ kind: 'NETWORK' });
  });
});

describe('weather alert polling, rooms and subscriptions', () => {
  let stub: KmaStub;
  let api: TestApi;
  beforeAll(async () => {
    stub = await startKmaStub();
    api = await startTestApi({ KMA_BASE_URL: stub.url, KMA_SERVICE_KEY: 'test-key', CHAT_ROOM_ARCHIVE_AFTER_HOURS: '0' });
  });
  afterAll(async () => {
    await api.stop();
    await stub.close();
  });
  beforeEach(async () => {
    await api.reset();
    stub.warnings = () => ({ body: kmaFixture('kma-wrn-list.json') });
  });

  it('stores the fixture idempotently, maps provinces and opens one room per province with an active warning', async () => {
    const first = await api.modules.weather.weather.poll();
    expect(first).toMatchObject({ alertsSeen: 6, alertsNew: 6, roomsOpened: 4, roomsArchived: 0 });
    const again = await api.modules.weather.weather.poll();
    expect(again).toMatchObject({ alertsSeen: 6, alertsNew: 0, roomsOpened: 0, roomsArchived: 0 });

    const active = (await api.gqlOk(ALERTS, {})).weatherAlerts;
    expect(active.map((a: any) => `${a.province}:${a.kind}:${a.level}`).sort()).toEqual([
      'BUSAN:STRONG_WIND:ADVISORY',
      'GYEONGBUK:HEAT_WAVE:WARNING',
      'GYEONGGI:HEAT_WAVE:ADVISORY',
      'SEOUL:HEAT_WAVE:WARNING',
    ]);
    const all = (await api.gqlOk(ALERTS, { a: false })).weatherAlerts;
    expect(all).toHaveLength(6);
    expect(all.find((a: any) => a.areaCode === 'S1151300')).toMatchObject({ province: 'GANGWON', cancelled: true });
    expect(all.find((a: any) => a.areaCode === 'L1091320')).toMatchObject({ province: 'JEJU', command: 'LIFT' });

    const rooms = (await api.gqlOk(ROOMS, { s: 'OPEN' })).chatRooms;
    expect(rooms.map((r: any) => r.province).sort()).toEqual(['BUSAN', 'GYEONGBUK', 'GYEONGGI', 'SEOUL']);
    const seoul = rooms.find((r: any) => r.province === 'SEOUL');
    expect(seoul.title).toContain('서울특별시');
    expect(seoul.pinnedCard.alerts).toEqual([expect.objectContaining({ kind: 'HEAT_WAVE', level: 'WARNING', zones: ['서울동북권'] })]);
    expect(seoul.activeAlerts).toEqual([{ kind: 'HEAT_WAVE', level: 'WARNING', areaName: '서울동북권' }]);
  });

  it('applies issue → upgrade to 경보 → extend → lift → cancel in order, with rooms and events at each step', async () => {
    const client = wsClient(api.url);
    const sub = await subscribe(client, 'subscription { weatherAlertIssued(province: SEOUL) { province kind level command } }');
    const rows: Record<string, unknown>[] = [];
    const step = async () => {
      stub.warnings = () => ({ body: warningsBody(rows) });
      return api.modules.weather.weather.poll();
    };
    const seoulActive = async () => (await api.gqlOk(ALERTS, { p: 'SEOUL' })).weatherAlerts;
    const seoulRoom = async () => (await api.gqlOk(ROOMS, {})).chatRooms.find((r: any) => r.province === 'SEOUL');

    // 1. 호우주의보 issued
    rows.push(seoulRow(1, '1', 0));
    expect(await step()).toMatchObject({ alertsNew: 1, roomsOpened: 1 });
    expect(await seoulActive()).toEqual([expect.objectContaining({ level: 'ADVISORY', command: 'ISSUE' })]);
    expect(await sub.nth(1)).toEqual({
      weatherAlertIssued: { province: 'SEOUL', kind: 'HEAVY_RAIN', level: 'ADVISORY', command: 'ISSUE' },
    });

    // 2. upgraded to 호우경보 (변경발표): one active alert, the 경보
    rows.push(seoulRow(2, '7', 1));
    expect(await step()).toMatchObject({ alertsNew: 1, roomsOpened: 0 });
    expect(await seoulActive()).toEqual([expect.objectContaining({ level: 'WARNING', command: 'CHANGE_ISSUE' })]);
    expect((await seoulRoom()).pinnedCard.alerts).toEqual([expect.objectContaining({ kind: 'HEAVY_RAIN', level: 'WARNING' })]);
    expect(await sub.nth(2)).toMatchObject({ weatherAlertIssued: { level: 'WARNING' } });

    // 3. extended
    rows.push(seoulRow(3, '3', 1));
    expect(await step()).toMatchObject({ alertsNew: 1 });
    expect(await seoulActive()).toEqual([expect.objectContaining({ level: 'WARNING', command: 'EXTEND' })]);

    // 4. lifted: nothing active, the room is archived (CHAT_ROOM_ARCHIVE_AFTER_HOURS=0), readable
    rows.push(seoulRow(4, '2', 1));
    expect(await step()).toMatchObject({ alertsNew: 1, roomsArchived: 1 });
    expect(await seoulActive()).toEqual([]);
    expect(await seoulRoom()).toMatchObject({ status: 'ARCHIVED', archivedAt: expect.any(String) });

    // 5. KMA withdraws the lift (cancel=1 on the same announcement): the extension is in force again, the room reopens
    rows[3] = { ...rows[3], cancel: '1' };
    expect(await step()).toMatchObject({ alertsNew: 0, roomsOpened: 1 });
    expect(await seoulActive()).toEqual([expect.objectContaining({ command: 'EXTEND' })]);
    expect(await seoulRoom()).toMatchObject({ status: 'OPEN', archivedAt: null });

    // lifts do not fire weatherAlertIssued: only issue, upgrade and extend did
    expect(sub.events).toHaveLength(3);
    // the same room throughout
    expect((await api.gqlOk(ROOMS, {})).chatRooms.filter((r: any) => r.province === 'SEOUL')).toHaveLength(1);
    sub.close();
    await client.dispose();
  });

  it('two concurrent polls create each room once', async () => {
    const results = await Promise.all([
      api.modules.weather.weather.poll(),
      api.modules.weather.weather.poll(),
      api.modules.weather.weather.poll(),
    ]);
    expect(results.reduce((n, r) => n + r.alertsNew, 0)).toBe(6);
    expect(results.reduce((n, r) => n + r.roomsOpened, 0)).toBe(4);
    const rooms = (await api.gqlOk(ROOMS, {})).chatRooms;
    expect(rooms).toHaveLength(4);
  });

  it('a failing KMA leaves state alone and is visible in the poller status', async () => {
    const { token } = await createUser(api, { role: UserRole.ADMIN });
    stub.warnings = () => ({ body: kmaFixture('kma-error-key.xml') });
    await expect(api.modules.weather.weather.poll()).rejects.toMatchObject({ kind: 'GATEWAY' });
    const status = (await api.gqlOk('{ weatherPollerStatus { state lastError consecutiveFailures } }', undefined, token))
      .weatherPollerStatus;
    expect(status).toMatchObject({ state: 'FAILING', consecutiveFailures: 1 });
    expect(status.lastError).toContain('SERVICE_KEY_IS_NOT_REGISTERED_ERROR');
    expect((await api.gqlOk(ROOMS, {})).chatRooms).toEqual([]);
    const STATUS = '{ serverStatus { weatherPoller { state consecutiveFailures lastError } } }';
    expect((await api.gqlOk(STATUS, undefined, token)).serverStatus.weatherPoller).toEqual(status);
    expect((await api.gqlOk(STATUS)).serverStatus.weatherPoller).toEqual({ ...status, lastError: null });
  });
});

describe('pollWeatherAlertsNow through the worker queue', () => {
  it('runs one poll in the worker and answers with its result; admins only', async () => {
    const stub = await startKmaStub();
    const env = { KMA_BASE_URL: stub.url, KMA_SERVICE_KEY: 'test-key', WEATHER_POLL_INTERVAL_SECONDS: '3600' };
    const api = await startTestApi(env);
    await api.reset();
    const worker = await startWorker(testConfig(env));
    try {
      const { token: user } = await createUser(api);
      const { token: admin } = await createUser(api, { role: UserRole.ADMIN });
      expect(codeOf(await api.gql('mutation { pollWeatherAlertsNow { alertsNew } }', undefined, user))).toBe('FORBIDDEN');
      const res = await api.gqlOk(
        'mutation { pollWeatherAlertsNow { alertsSeen alertsNew roomsOpened roomsArchived idle } }',
        undefined,
        admin,
      );
      // The scheduler's first run may have stored them already; together they stored each row and room once.
      expect(res.pollWeatherAlertsNow).toMatchObject({ alertsSeen: 6, roomsArchived: 0, idle: false });
      expect((await api.gqlOk('{ weatherAlerts(activeOnly: false) { id } }')).weatherAlerts).toHaveLength(6);
      expect((await api.gqlOk('{ chatRooms { province } }')).chatRooms).toHaveLength(4);
      expect(stub.log.filter((l) => l.operation === 'getPwnCd').length).toBeGreaterThanOrEqual(1);
      // the schedule: every WEATHER_POLL_INTERVAL_SECONDS, failures retried with exponential backoff
      const scheduler = await api.infra.queues.get(QueueName.WEATHER).getJobScheduler('poll-alerts');
      expect(scheduler).toMatchObject({ every: 3_600_000, template: { opts: { attempts: 4, backoff: { type: 'exponential' } } } });
      // a failing KMA answers SERVICE_UNAVAILABLE, not a crash
      stub.warnings = () => ({ status: 500, body: 'down' });
      expect(codeOf(await api.gql('mutation { pollWeatherAlertsNow { alertsNew } }', undefined, admin))).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await worker.stop();
      await api.stop();
      await stub.close();
    }
  });

  it('is idle and says so without a service key', async () => {
    const api = await startTestApi();
    const worker = await startWorker(testConfig());
    try {
      const { token: admin } = await createUser(api, { role: UserRole.ADMIN });
      const res = await api.gqlOk('mutation { pollWeatherAlertsNow { alertsSeen idle } }', undefined, admin);
      expect(res.pollWeatherAlertsNow).toEqual({ alertsSeen: 0, idle: true });
      expect((await api.gqlOk('{ weatherPollerStatus { state } }', undefined, admin)).weatherPollerStatus.state).toBe('IDLE');
    } finally {
      await worker.stop();
      await api.stop();
    }
  });
});

describe('currentWeather', () => {
  let stub: KmaStub;
  let api: TestApi;
  beforeAll(async () => {
    stub = await startKmaStub();
    api = await startTestApi({ KMA_BASE_URL: stub.url, KMA_SERVICE_KEY: 'test-key' });
  });
  afterAll(async () => {
    await api.stop();
    await stub.close();
  });
  beforeEach(() => api.reset());
  const Q =
    'query($la: Float!, $lo: Float!) { currentWeather(latitude: $la, longitude: $lo) { observedAt temperatureC humidityPct precipitationMm1h precipitationType windSpeedMs windDirectionDeg gridX gridY stale } }';

  it('converts to the grid, asks the right base time and decodes; cached per cell', async () => {
    stub.observations = () => ({ body: kmaFixture('kma-ultra-ncst.json') });
    const before = stub.log.length;
    const res = (await api.gqlOk(Q, { la: 37.5665, lo: 126.978 })).currentWeather;
    expect(res).toMatchObject({ gridX: 60, gridY: 127, temperatureC: 33.4, humidityPct: 58, precipitationType: 'NONE', stale: false });
    const q = stub.log.at(-1)!.query;
    expect([q.get('nx'), q.get('ny')]).toEqual(['60', '127']);
    expect(q.get('base_time')).toMatch(/^\d\d00$/);
    // same cell (a few hundred metres away): served from the cache
    await api.gqlOk(Q, { la: 37.567, lo: 126.979 });
    expect(stub.log.length - before).toBe(1);
  });

  it('falls back one hour on NO_DATA', async () => {
    let n = 0;
    stub.observations = () => (n++ === 0 ? { body: kmaFixture('kma-wrn-nodata.json') } : { body: kmaFixture('kma-ultra-ncst.json') });
    const res = (await api.gqlOk(Q, { la: 35.1796, lo: 129.0756 })).currentWeather;
    expect(res.temperatureC).toBe(33.4);
    const [a, b] = stub.log.slice(-2).map((l) => Number(l.query.get('base_time')));
    expect((a - b + 2400) % 2400).toBe(100);
  });

  it('KMA down: serves the stale cached observation, else SERVICE_UNAVAILABLE', async () => {
    stub.observations = () => ({ body: kmaFixture('kma-ultra-ncst.json') });
    await api.gqlOk(Q, { la: 37.5665, lo: 126.978 });
    // age the cache entry past its 10 minutes
    const key = 'weather:obs:60:127';
    const entry = JSON.parse((await api.infra.redis.client.get(key))!);
    entry.fetchedAt -= 11 * 60_000;
    entry.obs.observedAt = new Date(Date.now() - 30 * 60_000).toISOString();
    await api.infra.redis.client.set(key, JSON.stringify(entry));
    stub.observations = () => ({ body: kmaFixture('kma-error-key.xml') });
    const stale = (await api.gqlOk(Q, { la: 37.5665, lo: 126.978 })).currentWeather;
    expect(stale).toMatchObject({ stale: true, temperatureC: 33.4 });
    stub.observations = () => ({ status: 500, body: 'oops' });
    expect(codeOf(await api.gql(Q, { la: 36.3504, lo: 127.3845 }))).toBe('SERVICE_UNAVAILABLE');
  });

  it('rejects points off the KMA grid', async () => {
    expect(codeOf(await api.gql(Q, { la: 48.85, lo: 2.35 }))).toBe('BAD_USER_INPUT');
  });
});
