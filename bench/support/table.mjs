// Prints the README's performance table from bench/results/*.json: node bench/support/table.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../results');
const check = (value, bound) => {
  const m = /^(>=|<=|==|<|>)?\s*([\d.]+)/.exec(String(bound));
  if (!m || typeof value !== 'number') return '';
  const b = Number(m[2]);
  const ok = { '>=': value >= b, '<=': value <= b, '==': value === b, '<': value < b, '>': value > b }[m[1] ?? '=='];
  return ok ? 'met' : '**missed**';
};
console.log('| benchmark | figures | goal | result | measured |');
console.log('| --- | --- | --- | --- | --- |');
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const r = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const figures = Object.entries(r.metrics)
    .filter(([k]) => !(k in r.goal))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const goals = Object.entries(r.goal).map(([k, b]) => `${k} ${b}: ${r.metrics[k]} ${check(r.metrics[k], b)}`);
  console.log(
    `| \`${r.name}\` | ${figures} | ${goals.map((g) => g.split(':')[0]).join('; ')} | ${goals.map((g) => g.split(': ')[1]).join('; ')} | ${r.date.slice(0, 16).replace('T', ' ')} |`,
  );
}
