// `npm start` after the build: the API (migrations, GraphQL, WebSocket, web client) and the worker, together.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = join(root, 'server');
const webDist = join(root, 'client/dist');
const env = { ...process.env, ...(existsSync(webDist) && !process.env.WEB_DIST_DIR ? { WEB_DIST_DIR: webDist } : {}) };
const port = env.PORT ?? '4000';

const children = [];
let stopping = false;
function run(name, script) {
  const child = spawn(process.execPath, [join(server, 'dist', script)], { cwd: server, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? code}); stopping everything`);
    shutdown(code || 1);
  });
  children.push(child);
}

function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

// The API migrates first; the worker waits on the same migration lock.
run('api', 'main.api.js');
run('worker', 'main.worker.js');
console.log(`
WeatherWise is starting:
  web client      http://localhost:${port}/
  GraphQL (HTTP)  http://localhost:${port}/graphql
  GraphQL (WS)    ws://localhost:${port}/graphql
  GraphQL IDE     http://localhost:${port}/graphiql
Press Ctrl+C to stop.
`);
