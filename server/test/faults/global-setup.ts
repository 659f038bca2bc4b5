import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const server = join(__dirname, '../..');

/** Newest modification time under `dir` (ms). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * The fault suite runs the built server (`server/dist`) as production does: build it when it is missing or older than
 * the sources. Every run gets a folder for the processes' logs (kept a day for post-mortems) and a
 * results file the teardown turns into the table.
 */
export default function globalSetup() {
  const main = join(server, 'dist/main.api.js');
  if (!existsSync(main) || statSync(main).mtimeMs < newest(join(server, 'src'))) {
    process.stdout.write('\nfault suite: building the server (npm run build)\n');
    execFileSync('npm', ['run', 'build'], { cwd: server, stdio: 'inherit' });
  }
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const d of readdirSync(tmpdir()).filter((d) => d.startsWith('ww-faults-'))) {
    if (statSync(join(tmpdir(), d)).mtimeMs < dayAgo) rmSync(join(tmpdir(), d), { recursive: true, force: true });
  }
  const dir = mkdtempSync(join(tmpdir(), 'ww-faults-'));
  process.env.WW_FAULTS_DIR = dir;
  process.env.WW_FAULTS_RESULTS = join(dir, 'figures.jsonl');
  process.env.WW_FAULTS_STARTED = String(Date.now());
}
