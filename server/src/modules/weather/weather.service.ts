import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/mysql';
import { unavailable } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import { QueueName } from '../../app/queue/queues.js';
import type { RedisLocks } from '../../app/redis-lock.js';
import { Signal } from '../../app/signal.js';
import type { Province } from '../geo/province.js';
import { KmaError, type KmaClient, type KmaWarningRow } from './kma.client.js';
import { fromKmaTime, kstDay } from './kma.grid.js';
import { provinceOfZone } from './province-map.js';
import { WeatherAlert } from './weather-alert.entity.js';
import { AlertCommand, AlertLevel, COMMAND_BY_CODE, isLift, KIND_BY_WARN_VAR } from './weather.codes.js';
import { WeatherTopic, type AlertIssuedPayload } from './weather.topics.js';
import { WeatherPollerStatus, WeatherPollResult } from './weather.types.js';

export const POLL_JOB = 'poll-alerts';
const STATUS_KEY = 'weather:poller:status';
const LOCK_KEY = 'weather:poll:lock';

/** What a province's room shows while warnings are in force: kind + level → zones. */
export interface WarningCard {
  updatedAt: string;
  alerts: { kind: string; level: string; zones: string[]; issuedAt: string; startsAt: string | null }[];
}

/** Provinces with warnings in force after a poll; listeners (chat) answer which rooms they opened or archived. */
export interface ActiveWarnings {
  cards: Map<Province, WarningCard>;
  now: Date;
}
export interface RoomChanges {
  opened: readonly string[];
  archived: readonly string[];
}
const LOCK_TTL_MS = 120_000;

interface StoredStatus {
  state: 'IDLE' | 'OK' | 'FAILING';
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export class WeatherService {
  /** After every poll: the provinces with warnings in force ("these rooms should be open"). */
  readonly activeWarnings = new Signal<ActiveWarnings, RoomChanges>();

  constructor(
    private readonly infra: Pick<Infra, 'orm' | 'redis' | 'pubsub' | 'queues' | 'config' | 'logger'>,
    nodes: NodeRegistry,
    private readonly client: KmaClient | null,
    private readonly events: EventRecorder,
    private readonly locks: RedisLocks,
  ) {
    nodes.register('WeatherAlert', (ctx, id) => ctx.em.findOne(WeatherAlert, { id }));
  }

  private get knex() {
    return this.infra.orm.em.getConnection().getKnex();
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
    const raw = await this.infra.redis.client.get(STATUS_KEY);
    const s: StoredStatus | null = raw ? JSON.parse(raw) : null;
    const out = new WeatherPollerStatus();
    out.state = !this.client ? 'IDLE' : (s?.state ?? 'UNKNOWN');
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
      await this.recordStatus({ state: 'IDLE' });
      return Object.assign(result, { idle: true });
    }
    let rows: KmaWarningRow[];
    try {
      rows = await this.client.warnings(kstDay(new Date(now.getTime() - 5 * 86400_000)), kstDay(now));
    } catch (err) {
      await this.recordFailure(err);
      throw err;
    }
    // Serialises polls across workers: rooms and the active flags are derived state.
    await this.locks.withLock(
      LOCK_KEY,
      LOCK_TTL_MS,
      async () => {
        result.alertsSeen = rows.length;
        const created = await this.store(rows, now);
        result.alertsNew = created.length;
        const changes = await this.activeWarnings.emit({ cards: await this.activeCards(), now });
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
    await this.recordStatus({ state: 'OK', success: true });
    this.infra.logger.info({ ...result }, 'weather poll done');
    return result;
  }

  /** Inserts new announcement rows (unique per announcement and zone), then recomputes which row is in force per zone and kind. */
  private async store(rows: KmaWarningRow[], now: Date): Promise<WeatherAlert[]> {
    const sorted = [...rows].sort((a, b) => a.tmFc - b.tmFc || a.tmSeq - b.tmSeq);
    const createdIds: number[] = [];
    const touched = new Set<string>();
    for (const r of sorted) {
      const kind = KIND_BY_WARN_VAR[r.warnVar];
      const command = COMMAND_BY_CODE[r.command];
      const issuedAt = fromKmaTime(r.tmFc);
      if (!kind || !command || !issuedAt) {
        this.infra.logger.warn({ row: r }, 'KMA warning row with an unknown kind, command or time; skipped');
        continue;
      }
      const key = { stn_id: r.stnId, tm_fc: r.tmFc, tm_seq: r.tmSeq, area_code: r.areaCode, warn_var: r.warnVar };
      const province = provinceOfZone(r.areaCode, r.areaName);
      if (!province && !r.areaCode.startsWith('S'))
        this.infra.logger.warn({ areaCode: r.areaCode, areaName: r.areaName }, 'KMA zone maps to no province');
      const level = r.warnStress >= 1 ? AlertLevel.WARNING : AlertLevel.ADVISORY;
      // A new announcement and its WeatherWarningIssued event (notifications, and later push) commit together.
      const res = await this.events.transaction(async (trx: Knex.Transaction, emit) => {
        const [inserted] = await trx.raw(
          `insert ignore into weather_alerts (stn_id, tm_fc, tm_seq, area_code, area_name, province, warn_var, kind, level, command, issued_at, starts_at, ends_at, cancelled, active, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
          [
            r.stnId,
            r.tmFc,
            r.tmSeq,
            r.areaCode,
            r.areaName.slice(0, 50),
            province,
            r.warnVar,
            kind,
            level,
            command,
            issuedAt,
            fromKmaTime(r.startTime),
            fromKmaTime(r.endTime ?? r.allEndTime),
            r.cancelled ? 1 : 0,
            now,
          ],
        );
        if (inserted.affectedRows === 1 && !r.cancelled && !isLift(command)) {
          emit({ type: 'WeatherWarningIssued', alertId: Number(inserted.insertId), province, kind, level });
        }
        return inserted as { affectedRows: number; insertId: number };
      });
      if (res.affectedRows === 1) {
        createdIds.push(Number(res.insertId));
        touched.add(`${r.areaCode}|${r.warnVar}`);
      } else if (r.cancelled) {
        // KMA withdrew an announcement we stored before.
        const n = await this.knex('weather_alerts').where(key).andWhere('cancelled', 0).update({ cancelled: 1 });
        if (n) touched.add(`${r.areaCode}|${r.warnVar}`);
      }
    }
    for (const group of touched) {
      const [areaCode, warnVar] = group.split('|');
      await this.recompute(areaCode, Number(warnVar), now);
    }
    // Warnings whose end time has passed are no longer in force, even without a new announcement.
    await this.knex('weather_alerts').where('active', 1).whereNotNull('ends_at').andWhere('ends_at', '<=', now).update({ active: 0 });
    if (!createdIds.length) return [];
    const em = this.infra.orm.em.fork();
    return em.find(WeatherAlert, { id: { $in: createdIds } }, { orderBy: { id: 'asc' } });
  }

  /** The latest non-withdrawn announcement of a zone and kind is in force unless it lifts or has ended. */
  private async recompute(areaCode: string, warnVar: number, now: Date): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const rows: { id: number; command: AlertCommand; ends_at: Date | null }[] = await trx('weather_alerts')
        .where({ area_code: areaCode, warn_var: warnVar, cancelled: 0 })
        .orderBy([
          { column: 'tm_fc', order: 'desc' },
          { column: 'tm_seq', order: 'desc' },
        ])
        .forUpdate()
        .select('id', 'command', 'ends_at');
      await trx('weather_alerts').where({ area_code: areaCode, warn_var: warnVar }).update({ active: 0 });
      const latest = rows[0];
      if (latest && !isLift(latest.command) && !(latest.ends_at && new Date(latest.ends_at) <= now)) {
        await trx('weather_alerts').where({ id: latest.id }).update({ active: 1 });
      }
    });
  }

  /** Pinned cards of every province with an active warning (kind + level → zones). */
  private async activeCards(): Promise<Map<Province, WarningCard>> {
    const rows = await this.knex('weather_alerts')
      .where('active', 1)
      .whereNotNull('province')
      .orderBy([
        { column: 'issued_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .select('province', 'kind', 'level', 'area_name', 'issued_at', 'starts_at');
    const cards = new Map<Province, WarningCard>();
    for (const r of rows) {
      const card = cards.get(r.province) ?? { updatedAt: new Date().toISOString(), alerts: [] };
      let entry = card.alerts.find((a) => a.kind === r.kind && a.level === r.level);
      if (!entry) {
        entry = {
          kind: r.kind,
          level: r.level,
          zones: [],
          issuedAt: new Date(r.issued_at).toISOString(),
          startsAt: r.starts_at ? new Date(r.starts_at).toISOString() : null,
        };
        card.alerts.push(entry);
      }
      if (!entry.zones.includes(r.area_name)) entry.zones.push(r.area_name);
      cards.set(r.province, card);
    }
    return cards;
  }

  private async recordFailure(err: unknown): Promise<void> {
    const message = err instanceof KmaError ? `${err.kind}: ${err.message}` : String((err as Error)?.message ?? err);
    const prev = await this.readStatus();
    const failures = (prev?.consecutiveFailures ?? 0) + 1;
    if (failures >= 3) this.infra.logger.error({ failures, err: message }, 'KMA warning poll keeps failing');
    else this.infra.logger.warn({ failures, err: message }, 'KMA warning poll failed');
    await this.writeStatus({
      ...this.base(prev),
      state: 'FAILING',
      lastFailureAt: new Date().toISOString(),
      lastError: message,
      consecutiveFailures: failures,
    });
  }

  private async recordStatus(s: { state: StoredStatus['state']; success?: boolean }): Promise<void> {
    const prev = await this.readStatus();
    await this.writeStatus({
      ...this.base(prev),
      state: s.state,
      ...(s.success ? { lastSuccessAt: new Date().toISOString(), consecutiveFailures: 0 } : {}),
    });
  }

  private base(prev: StoredStatus | null): StoredStatus {
    return prev ?? { state: 'OK', lastSuccessAt: null, lastFailureAt: null, lastError: null, consecutiveFailures: 0 };
  }

  private async readStatus(): Promise<StoredStatus | null> {
    const raw = await this.infra.redis.client.get(STATUS_KEY);
    return raw ? JSON.parse(raw) : null;
  }

  private async writeStatus(s: StoredStatus): Promise<void> {
    await this.infra.redis.client.set(STATUS_KEY, JSON.stringify(s));
  }
}
