import { appendFileSync } from 'node:fs';

/** A threshold from the issue: strictly below `lt`, or exactly `eq`. */
export type Rule = { lt: number; unit?: string } | { eq: number | boolean | string };

/** One row of the fault table. */
export interface FigureRow {
  scenario: string;
  figure: string;
  value: number | boolean | string | null;
  limit: string | null;
  pass: boolean | null;
  note?: string;
}

export function ruleText(rule: Rule): string {
  return 'lt' in rule ? `< ${rule.lt}${rule.unit ? ` ${rule.unit}` : ''}` : `= ${rule.eq}`;
}

function passes(rule: Rule, value: FigureRow['value']): boolean {
  if (value === null) return false;
  return 'lt' in rule ? typeof value === 'number' && value < rule.lt : value === rule.eq;
}

/** What a helper that measures some of a scenario's figures needs. */
export interface FigureSink<K extends string> {
  set(key: K, value: FigureRow['value'], note?: string): void;
}

interface Definition {
  label: string;
  rule?: Rule;
}

/**
 * The figures of one scenario: the run measures and `set`s them (each becomes a table row, also written to the run's
 * results file), and `defineTests()` turns every figure with a rule into its own Jest test, so a failure names the
 * figure, the measured value and the limit.
 */
export class Figures<K extends string> implements FigureSink<K> {
  private readonly values = new Map<K, { value: FigureRow['value']; note?: string }>();

  constructor(
    readonly scenario: string,
    private readonly definitions: Record<K, Definition>,
  ) {}

  set(key: K, value: FigureRow['value'], note?: string): void {
    this.values.set(key, { value, note });
    const def = this.definitions[key];
    this.write({
      scenario: this.scenario,
      figure: def.label,
      value,
      limit: def.rule ? ruleText(def.rule) : null,
      pass: def.rule ? passes(def.rule, value) : null,
      ...(note ? { note } : {}),
    });
  }

  get(key: K): FigureRow['value'] | undefined {
    return this.values.get(key)?.value;
  }

  /** Rows for the figures a failed run never measured. */
  recordMissing(): void {
    for (const key of Object.keys(this.definitions) as K[]) {
      const def = this.definitions[key];
      if (!this.values.has(key) && def.rule)
        this.write({
          scenario: this.scenario,
          figure: def.label,
          value: null,
          limit: ruleText(def.rule),
          pass: false,
          note: 'not measured',
        });
    }
  }

  defineTests(): void {
    afterAll(() => this.recordMissing());
    for (const key of Object.keys(this.definitions) as K[]) {
      const { label, rule } = this.definitions[key];
      if (!rule) continue;
      it(`${label} ${ruleText(rule)}`, () => {
        const measured = this.values.get(key);
        if (!measured) throw new Error(`${label}: not measured (the scenario stopped before it)`);
        if (!passes(rule, measured.value))
          throw new Error(`${label}: measured ${measured.value}, limit ${ruleText(rule)}${measured.note ? ` (${measured.note})` : ''}`);
      });
    }
  }

  private write(row: FigureRow): void {
    const file = process.env.WW_FAULTS_RESULTS;
    if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
  }
}
