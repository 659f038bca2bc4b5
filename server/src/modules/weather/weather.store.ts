import type { Knex, MikroORM } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';
import type { AlertCommand } from './weather.codes.js';

const STATUS_KEY = 'weather:poller:status';
const observationKey = (nx: number, ny: number) => `weather:obs:${nx}:${ny}`;

/** One KMA announcement for one zone, as stored; unique per (station, announcement time, seq, zone, kind). */
export interface NewAlert {
  stnId: string;
  tmFc: number;
  tmSeq: number;
  areaCode: string;
  areaName: string;
  province: string | null;
  warnVar: number;
  kind: string;
  level: string;
  command: AlertCommand;
  issuedAt: Date;
  startsAt: Date | null;
  endsAt: Date | null;
  cancelled: boolean;
}

/** The identity of an announcement (what makes it unique). */
export type AlertKey = Pick<NewAlert, 'stnId' | 'tmFc' | 'tmSeq' | 'areaCode' | 'warnVar'>;

/** An announcement in force, as its province's pinned card needs it. */
export interface ActiveAlertRow {
  province: string;
  kind: string;
  level: string;
  area_name: string;
  issued_at: Date;
  starts_at: Date | null;
}

/** The poller's health record (Redis), shown by `weatherPollerStatus`. */
export interface StoredStatus {
  state: 'IDLE' | 'OK' | 'FAILING';
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

/**
 * Every SQL statement of weather (`weather_alerts`, whose `active` flags are derived from the announcements) and its
 * Redis records (the poller's health, the observation cache per grid cell).
 */
export class WeatherStore {
  constructor(
    private readonly orm: Pick<MikroORM, 'em'>,
    private readonly redis: Redis,
  ) {}

  private get knex(): Knex {
    return this.orm.em.getConnection().getKnex();
  }

  /** Inserts an announcement inside `trx` unless stored before; its id when new, else null. */
  async insertAlert(trx: Knex.Transaction, a: NewAlert, now: Date): Promise<number | null> {
    const [inserted] = await trx.raw(
      `insert ignore into weather_alerts (stn_id, tm_fc, tm_seq, area_code, area_name, province, warn_var, kind, level, command,
         issued_at, starts_at, ends_at, cancelled, active, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      [
        a.stnId,
        a.tmFc,
        a.tmSeq,
        a.areaCode,
        a.areaName.slice(0, 50),
        a.province,
        a.warnVar,
        a.kind,
        a.level,
        a.command,
        a.issuedAt,
        a.startsAt,
        a.endsAt,
        a.cancelled ? 1 : 0,
        now,
      ],
    );
    return inserted.affectedRows === 1 ? Number(inserted.insertId) : null;
  }

  /** Marks a stored announcement withdrawn; false when it was already (or never stored). */
  async withdraw(k: AlertKey): Promise<boolean> {
    const n = await this.knex('weather_alerts')
      .where({ stn_id: k.stnId, tm_fc: k.tmFc, tm_seq: k.tmSeq, area_code: k.areaCode, warn_var: k.warnVar })
      .andWhere('cancelled', 0)
      .update({ cancelled: 1 });
    return n > 0;
  }

  /**
   * Recomputes the announcement in force for one zone and kind, in one transaction with the zone's rows locked:
   * every row inactive, then the latest non-withdrawn one active if `inForce` says so.
   */
  async recompute(areaCode: string, warnVar: number, inForce: (latest: { command: AlertCommand; endsAt: Date | null }) => boolean) {
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
      if (latest && inForce({ command: latest.command, endsAt: latest.ends_at ? new Date(latest.ends_at) : null })) {
        await trx('weather_alerts').where({ id: latest.id }).update({ active: 1 });
      }
    });
  }

  /** Deactivates announcements whose end time is at or before `now`. */
  async expireEnded(now: Date): Promise<void> {
    await this.knex('weather_alerts').where('active', 1).whereNotNull('ends_at').andWhere('ends_at', '<=', now).update({ active: 0 });
  }

  /** Announcements in force in a province, newest first. */
  async activeAlerts(): Promise<ActiveAlertRow[]> {
    return this.knex('weather_alerts')
      .where('active', 1)
      .whereNotNull('province')
      .orderBy([
        { column: 'issued_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .select('province', 'kind', 'level', 'area_name', 'issued_at', 'starts_at');
  }

  async readStatus(): Promise<StoredStatus | null> {
    const raw = await this.redis.get(STATUS_KEY);
    return raw ? (JSON.parse(raw) as StoredStatus) : null;
  }

  async writeStatus(s: StoredStatus): Promise<void> {
    await this.redis.set(STATUS_KEY, JSON.stringify(s));
  }

  /** The cached observation of a grid cell, as written by `cacheObservation`; null when none. */
  async cachedObservation<T>(nx: number, ny: number): Promise<T | null> {
    const raw = await this.redis.get(observationKey(nx, ny));
    return raw ? (JSON.parse(raw) as T) : null;
  }

  async cacheObservation(nx: number, ny: number, entry: unknown, ttlMs: number): Promise<void> {
    await this.redis.set(observationKey(nx, ny), JSON.stringify(entry), 'PX', ttlMs);
  }
}
