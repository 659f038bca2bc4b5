import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { FigureRow } from './support/figures';

const resultsFile = join(__dirname, '../../../bench/results/faults.json');

function cell(value: FigureRow['value']): string {
  if (value === null) return '—';
  return typeof value === 'number' ? String(Math.round(value * 10) / 10) : String(value);
}

/** Prints every scenario's figures as one table and writes them to bench/results/faults.json. */
export default function globalTeardown() {
  const file = process.env.WW_FAULTS_RESULTS;
  if (!file || !existsSync(file)) return;
  // A figure set twice keeps its last value.
  const byKey = new Map<string, FigureRow>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const row = JSON.parse(line) as FigureRow;
    byKey.set(`${row.scenario}\u0000${row.figure}`, row);
  }
  const rows = [...byKey.values()];
  const widths = {
    scenario: Math.max(8, ...rows.map((r) => r.scenario.length)),
    figure: Math.max(6, ...rows.map((r) => r.figure.length)),
    value: Math.max(8, ...rows.map((r) => cell(r.value).length)),
    limit: Math.max(5, ...rows.map((r) => (r.limit ?? '').length)),
  };
  const line = (s: string, f: string, v: string, l: string, p: string) =>
    `${s.padEnd(widths.scenario)}  ${f.padEnd(widths.figure)}  ${v.padStart(widths.value)}  ${l.padEnd(widths.limit)}  ${p}`;
  const out = ['', 'Fault suite', line('scenario', 'figure', 'measured', 'limit', 'result')];
  for (const r of rows) {
    const result = r.pass === null ? '' : r.pass ? 'pass' : 'FAIL';
    out.push(line(r.scenario, r.figure, cell(r.value), r.limit ?? '', `${result}${r.note ? `  ${r.note}` : ''}`));
  }
  const failed = rows.filter((r) => r.pass === false).length;
  const started = Number(process.env.WW_FAULTS_STARTED ?? Date.now());
  out.push(
    '',
    `${rows.filter((r) => r.pass).length} figures within their limits, ${failed} not; ${Math.round((Date.now() - started) / 1000)} s; logs in ${process.env.WW_FAULTS_DIR}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  mkdirSync(join(resultsFile, '..'), { recursive: true });
  const result = {
    name: 'faults',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    seconds: Math.round((Date.now() - started) / 1000),
    passed: rows.filter((r) => r.pass).length,
    failed,
    figures: rows,
  };
  writeFileSync(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write('-> bench/results/faults.json\n');
}
