import { randomUUID } from 'node:crypto';
import { unavailable } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import { QueueName } from '../../app/queue/queues.js';
import type { RedisLocks } from '../../app/redis-lock.js';
import { Signal } from '../../app/signal.js';
import type { Province } from '../geo/province.js';
import type { AlertIngest, WarningCard } from './alert-ingest.js';
import type { KmaSource, KmaWarningRow } from './kma.client.js';
import { kstDay } from './kma.grid.js';
import type { PollerStatus } from './poller-status.js';
import { WeatherAlert } from './weather-alert.entity.js';
import { isLift } from './weather.codes.js';
import { WeatherTopic, type AlertIssuedPayload } from './weather.topics.js';
import { WeatherPollerStatus, WeatherPollResult } from './weather.types.js';

export const POLL_JOB = 'poll-alerts';
const LOCK_KEY = 'weather:poll:lock';
const LOCK_TTL_MS = 120_000;

/** Provinces with warnings in force after a poll; listeners (chat) answer which rooms they opened or archived. */
export interface ActiveWarnings {
  cards: Map<Province, WarningCard>;
  now: Date;
}
export interface RoomChanges {
  opened: readonly string[];
  archived: readonly string[];
}

/** KMA warnings: reads, the poller's status, and the poll itself (fetch, ingest under a lock, tell listeners, publish). */
export class WeatherService {
  /** After every poll: the provinces with warnings in force ("these rooms should be open"). */
  readonly activeWarnings = new Signal<ActiveWarnings, RoomChanges>();

  constructor(
    private readonly infra: Pick<Infra, 'pubsub' | 'queues' | 'logger'>,
    nodes: NodeRegistry,
    private readonly client: KmaSource | null,
    private readonly ingest: AlertIngest,
    private readonly pollerStatus: PollerStatus,
    private readonly locks: RedisLocks,
  ) {
    nodes.register('WeatherAlert', (ctx, id) => ctx.em.findOne(WeatherAlert, { id }));
  }

  // ---- reads -------------------------------------------------------------------------------------------------------

  alerts(ctx: Context, province: Province | null, activeOnly: boolean): Promise<WeatherAlert[]> {
    const where: Record<string, unknown> = {};
    if (province) where.province = province;
    if (activeOnly) where.active = true;
    return ctx.em.find(WeatherAlert, where, { orderBy: { issuedAt: 'desc', id: 'desc' }, limit: 500 });
  }

  activeAlertsOf(ctx: Context, province: Province): Promise<WeatherAlert[]> {
    return ctx.em.find(WeatherAlert, { province, active: true }, { orderBy: { issuedAt: 'desc', id: 'desc' } });
  }

  async status(): Promise<WeatherPollerStatus> {
    const s = await this.pollerStatus.read();
    const out = new WeatherPollerStatus();
    out.state = !this.client ? 'IDLE' : (s?.state ?? 'UNKNOWN');
    out.demo = !!this.client?.demo;
    out.lastSuccessAt = s?.lastSuccessAt ? new Date(s.lastSuccessAt) : null;
    out.lastFailureAt = s?.lastFailureAt ? new Date(s.lastFailureAt) : null;
    out.lastError = s?.lastError ?? null;
    out.consecutiveFailures = s?.consecutiveFailures ?? 0;
    return out;
  }

  // ---- polling -----------------------------------------------------------------------------------------------------

  /** Admin: runs one poll through the worker queue and waits for its result. */
  async pollNow(timeoutMs = 60_000): Promise<WeatherPollResult> {
    const queue = this.infra.queues.get(QueueName.WEATHER);
    const events = this.infra.queues.events(QueueName.WEATHER);
    await events.waitUntilReady();
    const job = await queue.add(POLL_JOB, { manual: true }, { jobId: `manual-${randomUUID()}`, attempts: 1 });
    try {
      return Object.assign(new WeatherPollResult(), await job.waitUntilFinished(events, timeoutMs));
    } catch (err) {
      throw unavailable('The KMA poll failed or the worker did not answer in time; try again later.', err);
    }
  }

  /** One poll (the job's body): fetch, store idempotently, apply commands in order, sync rooms, notify. */
  async poll(now = new Date()): Promise<WeatherPollResult> {
    const result = Object.assign(new WeatherPollResult(), { alertsSeen: 0, alertsNew: 0, roomsOpened: 0, roomsArchived: 0, idle: false });
    if (!this.client) {
      await this.pollerStatus.record({ state: 'IDLE' });
      return Object.assign(result, { idle: true });
    }
    let rows: KmaWarningRow[];
    try {
      rows = await this.client.warnings(kstDay(new Date(now.getTime() - 5 * 86400_000)), kstDay(now));
    } catch (err) {
      await this.pollerStatus.failed(err);
      throw err;
    }
    // Serialises polls across workers: rooms and the active flags are derived state.
    await this.locks.withLock(
      LOCK_KEY,
      LOCK_TTL_MS,
      async () => {
        result.alertsSeen = rows.length;
        const created = await this.ingest.ingest(rows, now);
        result.alertsNew = created.length;
        const changes = await this.activeWarnings.emit({ cards: await this.ingest.activeCards(), now });
        result.roomsOpened = changes.reduce((n, c) => n + c.opened.length, 0);
        result.roomsArchived = changes.reduce((n, c) => n + c.archived.length, 0);
        for (const alert of created) {
          if (alert.cancelled || isLift(alert.command)) continue;
          const payload: AlertIssuedPayload = { id: alert.id, province: alert.province };
          await this.infra.pubsub.publish(WeatherTopic.ALERT_ISSUED, payload);
        }
      },
      { waitMs: LOCK_TTL_MS },
    );
    await this.pollerStatus.record({ state: 'OK', success: true });
    this.infra.logger.info({ ...result }, 'weather poll done');
    return result;
  }
}
