// Proves that `npm test` fails on a forbidden import, an import cycle, a lint error and unformatted code: each guard
// is run on a small tree (or input) that breaks its rule, and must refuse it by name.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });

function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'ww-guard-'));
  copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  const all = {
    'server/tsconfig.json': '{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext" }, "include": ["src"] }',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('dependency rules refuse a cycle, app/ importing a module and a feature importing notifications', () => {
  const dir = tree({
    'server/src/app/config.ts': "import { Post } from '../modules/posts/post.js';\nexport const c = Post;\n",
    'server/src/modules/posts/post.ts':
      "import { n } from '../notifications/notify.js';\nimport { b } from './b.js';\nexport const Post = n + b;\n",
    'server/src/modules/posts/b.ts': "import { Post } from './post.js';\nexport const b = 1;\nexport const again = () => Post;\n",
    'server/src/modules/notifications/notify.ts': 'export const n = 1;\n',
  });
  try {
    const r = run(bin('depcruise'), ['server/src', '--config', '.dependency-cruiser.cjs'], { cwd: dir });
    assert.notEqual(r.status, 0);
    for (const rule of ['no-circular', 'app-imports-no-module', 'features-never-import-notifications'])
      assert.match(r.stdout, new RegExp(rule));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same rules pass a tree that keeps to the picture', () => {
  const dir = tree({
    'server/src/app/config.ts': 'export const c = 1;\n',
    'server/src/modules/posts/post.ts': "import { c } from '../../app/config.js';\nexport const Post = c;\n",
  });
  try {
    const r = run(bin('depcruise'), ['server/src', '--config', '.dependency-cruiser.cjs'], { cwd: dir });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ESLint refuses a floating promise in server code (type-aware)', () => {
  const source = 'export async function save(): Promise<void> {}\nexport function handler(): void {\n  save();\n}\n';
  const r = run(bin('eslint'), ['--stdin', '--stdin-filename', 'server/src/app/batcher.ts'], { cwd: root, input: source });
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /no-floating-promises/);
});

test('Prettier refuses unformatted code', () => {
  const r = run(bin('prettier'), ['--check', '--stdin-filepath', 'server/src/app/x.ts'], { cwd: root, input: 'const  x = {a:1}\n' });
  assert.notEqual(r.status, 0);
});
