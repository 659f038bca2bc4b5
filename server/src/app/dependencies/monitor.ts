import type { Logger } from '../logger.js';
import type { DependencyName } from './failures.js';

export interface Probe {
  /** Resolves when the dependency answered; rejects (or never settles) when it did not. */
  check(): Promise<unknown>;
  /** Releases what the probe holds (its own connection). */
  close?(): Promise<void>;
}

export interface MonitorOptions {
  intervalMs: number;
  timeoutMs: number;
}

interface State {
  up: boolean;
  since: number;
  probing: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Knows whether MySQL and Redis answer, by probing each on a timer, so /readyz answers from memory at once and flips
 * within one interval plus one timeout of an outage. A request that just failed on a dependency asks for a probe now.
 * Logs one warn line per transition and dependency, however many requests fail in between.
 */
export class DependencyMonitor {
  private readonly states = new Map<DependencyName, State>();
  private stopped = true;

  constructor(
    private readonly probes: Record<DependencyName, Probe>,
    private readonly logger: Logger,
    private readonly options: MonitorOptions,
  ) {
    for (const name of Object.keys(probes) as DependencyName[]) this.states.set(name, { up: true, since: Date.now(), probing: false });
  }

  start(): void {
    this.stopped = false;
    for (const name of this.states.keys()) void this.probe(name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.states.values()) clearTimeout(state.timer);
    await Promise.all(Object.values(this.probes).map((probe) => probe.close?.()));
  }

  /** Every dependency answered its last probe. */
  get ready(): boolean {
    for (const state of this.states.values()) if (!state.up) return false;
    return true;
  }

  isUp(name: DependencyName): boolean {
    return this.states.get(name)?.up ?? true;
  }

  /** A request failed on `name` (or on an unknown store): check now instead of at the next tick. */
  suspect(name: DependencyName | 'unknown'): void {
    for (const [dependency, state] of this.states) {
      if ((name === 'unknown' || name === dependency) && !state.probing && !this.stopped) {
        clearTimeout(state.timer);
        void this.probe(dependency);
      }
    }
  }

  private async probe(name: DependencyName): Promise<void> {
    const state = this.states.get(name)!;
    state.probing = true;
    let failure: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.probes[name].check(),
        new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${this.options.timeoutMs} ms`)), this.options.timeoutMs)),
        ),
      ]);
    } catch (err) {
      failure = err;
    } finally {
      clearTimeout(timer);
    }
    state.probing = false;
    if (this.stopped) return;
    this.record(name, state, failure === undefined, failure);
    state.timer = setTimeout(() => void this.probe(name), this.options.intervalMs);
    state.timer.unref();
  }

  private record(name: DependencyName, state: State, up: boolean, failure: unknown): void {
    if (up === state.up) return;
    const now = Date.now();
    if (up) this.logger.warn({ dependency: name, state: 'up', downForMs: now - state.since }, `${name} is reachable again`);
    else
      this.logger.warn(
        { dependency: name, state: 'down', reason: failure instanceof Error ? failure.message : String(failure) },
        `${name} is unreachable`,
      );
    state.up = up;
    state.since = now;
  }
}
