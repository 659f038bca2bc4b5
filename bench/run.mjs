// npm run bench -- NAME [args...]: builds the server, then runs bench/NAME.mjs.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && !['run.mjs', 'lib.mjs'].includes(f))
  .map((f) => f.slice(0, -4));
if (!name || !existsSync(join(here, `${name}.mjs`))) {
  console.error(`usage: npm run bench -- NAME\navailable: ${available.join(', ')}`);
  process.exit(2);
}
if (process.env.BENCH_SKIP_BUILD !== '1') execSync('npm run build -w server', { cwd: join(here, '..'), stdio: 'inherit' });
const mod = await import(join(here, `${name}.mjs`));
await mod.default(args);
process.exit(0);
