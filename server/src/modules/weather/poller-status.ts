import type { Logger } from '../../app/logger.js';
import { KmaError } from './kma.client.js';
import type { StoredStatus, WeatherStore } from './weather.store.js';

const EMPTY: StoredStatus = { state: 'OK', lastSuccessAt: null, lastFailureAt: null, lastError: null, consecutiveFailures: 0 };

/** The KMA poller's health across workers: last success, last failure and how many failures in a row (logged louder from 3). */
export class PollerStatus {
  constructor(
    private readonly store: WeatherStore,
    private readonly logger: Logger,
  ) {}

  read(): Promise<StoredStatus | null> {
    return this.store.readStatus();
  }

  async failed(err: unknown): Promise<void> {
    const message = err instanceof KmaError ? `${err.kind}: ${err.message}` : String((err as Error)?.message ?? err);
    const prev = await this.store.readStatus();
    const failures = (prev?.consecutiveFailures ?? 0) + 1;
    if (failures >= 3) this.logger.error({ failures, err: message }, 'KMA warning poll keeps failing');
    else this.logger.warn({ failures, err: message }, 'KMA warning poll failed');
    await this.store.writeStatus({
      ...(prev ?? EMPTY),
      state: 'FAILING',
      lastFailureAt: new Date().toISOString(),
      lastError: message,
      consecutiveFailures: failures,
    });
  }

  async record(s: { state: StoredStatus['state']; success?: boolean }): Promise<void> {
    const prev = await this.store.readStatus();
    await this.store.writeStatus({
      ...(prev ?? EMPTY),
      state: s.state,
      ...(s.success ? { lastSuccessAt: new Date().toISOString(), consecutiveFailures: 0 } : {}),
    });
  }
}
