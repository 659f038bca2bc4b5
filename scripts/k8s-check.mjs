// Renders every kustomize overlay under deploy/k8s/overlays with `kubectl kustomize` (offline, no cluster) and checks
// each object against the Kubernetes schemas (kubernetes-models) and the rules across objects. Exits 1 on any problem.
//   node scripts/k8s-check.mjs                 every overlay
//   node scripts/k8s-check.mjs path/to/overlay  only those kustomization directories
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { appEnvProblems } from './k8s/app-env.mjs';
import { crossObjectProblems, describe } from './k8s/rules.mjs';
import { schemaProblems, schemaSource } from './k8s/schema.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaults = {
  overlaysDir: join(root, 'deploy/k8s/overlays'),
  secretExample: join(root, 'deploy/k8s/secret.example.yaml'),
  envExample: join(root, '.env.example'),
};

/** The kustomize version inside kubectl; throws with a readable message when kubectl is missing or too old. */
export function kustomizeVersion() {
  let info;
  try {
    info = JSON.parse(
      execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  } catch (err) {
    throw new Error(
      `kubectl is needed to render the overlays (kubectl kustomize): ${err.code === 'ENOENT' ? 'not found on PATH' : err.message}`,
    );
  }
  const version = info.kustomizeVersion ?? '';
  if (!/^v?([5-9]|\d{2,})\./.test(version))
    throw new Error(`kubectl ${info.clientVersion?.gitVersion} bundles kustomize ${version || '(unknown)'}; 5 or newer is needed`);
  return { kubectl: info.clientVersion?.gitVersion, kustomize: version };
}

/** Parses a multi-document YAML text into objects; a syntax error becomes a problem. */
export function parseManifests(text, source) {
  const objects = [];
  const problems = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) problems.push({ object: source, field: '(yaml)', message: doc.errors.map((e) => e.message).join('; ') });
    else if (doc.contents !== null) objects.push(doc.toJS());
  }
  return { objects, problems };
}

const schemaCheck = (objects) => objects.flatMap((o) => schemaProblems(o).map((p) => ({ object: describe(o), ...p })));

/** Schema and cross-object problems of already rendered objects. */
export function checkObjects(objects, { secretExample = defaults.secretExample, envExample = defaults.envExample } = {}) {
  const example = parseManifests(readFileSync(secretExample, 'utf8'), relative(root, secretExample));
  return [
    ...example.problems,
    ...schemaCheck(example.objects),
    ...schemaCheck(objects),
    ...crossObjectProblems(objects, example.objects),
    ...appEnvProblems(objects, example.objects, envExample),
  ];
}

/** Renders one overlay and checks it: `{ objects, problems }`. */
export function checkOverlay(dir, options) {
  let text;
  try {
    text = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    return { objects: [], problems: [{ object: dir, field: '(kustomize)', message: String(err.stderr || err.message).trim() }] };
  }
  const { objects, problems } = parseManifests(text, dir);
  return { objects, problems: [...problems, ...checkObjects(objects, options)] };
}

function tally(objects) {
  const counts = new Map();
  for (const o of objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} ${n}`).join(', ');
}

function main(args) {
  const tools = kustomizeVersion();
  const dirs = args.length
    ? args.map((a) => resolve(a))
    : readdirSync(defaults.overlaysDir).map((name) => join(defaults.overlaysDir, name));
  console.log(`rendering with kubectl ${tools.kubectl} (kustomize ${tools.kustomize}); schemas: ${schemaSource}`);
  let failed = 0;
  for (const dir of dirs) {
    const name = dir.startsWith(`${root}/`) ? relative(root, dir) : dir;
    const { objects, problems } = checkOverlay(dir);
    if (problems.length === 0) {
      console.log(`ok   ${name}: ${objects.length} objects (${tally(objects)})`);
      continue;
    }
    failed++;
    console.log(`FAIL ${name}: ${problems.length} problem(s) in ${objects.length} objects`);
    for (const p of problems) console.log(`  ${p.object}: ${p.field}: ${p.message}`);
  }
  if (failed) {
    console.log(`${failed} of ${dirs.length} overlay(s) failed`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exitCode = 2;
  }
}
