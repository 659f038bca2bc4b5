import type { Infra } from '../../app/infra.js';
import type { EventRecorder } from '../../app/outbox/outbox.js';
import type { Province } from '../geo/province.js';
import type { KmaWarningRow } from './kma.client.js';
import { fromKmaTime } from './kma.grid.js';
import { provinceOfZone } from './province-map.js';
import { WeatherAlert } from './weather-alert.entity.js';
import { AlertLevel, COMMAND_BY_CODE, isLift, KIND_BY_WARN_VAR, type AlertCommand } from './weather.codes.js';
import type { NewAlert, WeatherStore } from './weather.store.js';

/** What a province's room shows while warnings are in force: kind + level → zones. */
export interface WarningCard {
  updatedAt: string;
  alerts: { kind: string; level: string; zones: string[]; issuedAt: string; startsAt: string | null }[];
}

/**
 * Turns KMA warning rows into stored announcements and keeps the `active` flags right: each announcement is stored
 * once (with its WeatherWarningIssued event), then the announcement in force is recomputed per zone and kind.
 */
export class AlertIngest {
  constructor(
    private readonly infra: Pick<Infra, 'orm' | 'logger'>,
    private readonly store: WeatherStore,
    private readonly events: EventRecorder,
  ) {}

  /** Stores new announcements in announcement order and recomputes what is in force; returns the new ones. */
  async ingest(rows: KmaWarningRow[], now: Date): Promise<WeatherAlert[]> {
    const sorted = [...rows].sort((a, b) => a.tmFc - b.tmFc || a.tmSeq - b.tmSeq);
    const createdIds: number[] = [];
    const touched = new Set<string>();
    for (const r of sorted) {
      const alert = this.toAlert(r);
      if (!alert) continue;
      const id = await this.insert(alert, now);
      if (id !== null) {
        createdIds.push(id);
        touched.add(`${r.areaCode}|${r.warnVar}`);
      } else if (r.cancelled) {
        // KMA withdrew an announcement we stored before.
        if (await this.store.withdraw(alert)) touched.add(`${r.areaCode}|${r.warnVar}`);
      }
    }
    for (const group of touched) {
      const [areaCode, warnVar] = group.split('|');
      await this.store.recompute(areaCode, Number(warnVar), (latest) => inForce(latest, now));
    }
    // Warnings whose end time has passed are no longer in force, even without a new announcement.
    await this.store.expireEnded(now);
    if (!createdIds.length) return [];
    const em = this.infra.orm.em.fork();
    return em.find(WeatherAlert, { id: { $in: createdIds } }, { orderBy: { id: 'asc' } });
  }

  /** Pinned cards of every province with an active warning (kind + level → zones). */
  async activeCards(): Promise<Map<Province, WarningCard>> {
    const cards = new Map<Province, WarningCard>();
    for (const r of await this.store.activeAlerts()) {
      const province = r.province as Province;
      const card = cards.get(province) ?? { updatedAt: new Date().toISOString(), alerts: [] };
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
      cards.set(province, card);
    }
    return cards;
  }

  /** The row as an announcement to store; null (logged) when its kind, command or time is unknown. */
  private toAlert(r: KmaWarningRow): NewAlert | null {
    const kind = KIND_BY_WARN_VAR[r.warnVar];
    const command = COMMAND_BY_CODE[r.command];
    const issuedAt = fromKmaTime(r.tmFc);
    if (!kind || !command || !issuedAt) {
      this.infra.logger.warn({ row: r }, 'KMA warning row with an unknown kind, command or time; skipped');
      return null;
    }
    const province = provinceOfZone(r.areaCode, r.areaName);
    if (!province && !r.areaCode.startsWith('S'))
      this.infra.logger.warn({ areaCode: r.areaCode, areaName: r.areaName }, 'KMA zone maps to no province');
    return {
      stnId: r.stnId,
      tmFc: r.tmFc,
      tmSeq: r.tmSeq,
      areaCode: r.areaCode,
      areaName: r.areaName,
      province,
      warnVar: r.warnVar,
      kind,
      level: r.warnStress >= 1 ? AlertLevel.WARNING : AlertLevel.ADVISORY,
      command,
      issuedAt,
      startsAt: fromKmaTime(r.startTime),
      endsAt: fromKmaTime(r.endTime ?? r.allEndTime),
      cancelled: r.cancelled,
    };
  }

  /** Stores one announcement; its id when new, null when stored before. */
  private insert(a: NewAlert, now: Date): Promise<number | null> {
    // A new announcement and its WeatherWarningIssued event (notifications, and later push) commit together.
    return this.events.transaction(async (trx, emit) => {
      const id = await this.store.insertAlert(trx, a, now);
      if (id !== null && !a.cancelled && !isLift(a.command)) {
        emit({ type: 'WeatherWarningIssued', alertId: id, province: a.province, kind: a.kind, level: a.level });
      }
      return id;
    });
  }
}

/** The latest non-withdrawn announcement of a zone and kind is in force unless it lifts or has ended. */
function inForce(latest: { command: AlertCommand; endsAt: Date | null }, now: Date): boolean {
  return !isLift(latest.command) && !(latest.endsAt && latest.endsAt <= now);
}
