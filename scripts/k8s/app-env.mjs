// WeatherWise's own rules on the environment its pods get: every variable of .env.example is set or left out on
// purpose, nothing unknown is set (a misspelt key would silently fall back to its default), the stores are named,
// and the ports and upload directory agree with the containers.
import { readFileSync } from 'node:fs';
import { describe } from './rules.mjs';

// Variables of .env.example that a cluster does not set, and why.
export const NOT_IN_CLUSTER = {
  JWT_SECRET_FILE: 'a development fallback; the cluster always provides JWT_SECRET',
  WEB_DIST_DIR: 'the app image has no web client; the `web` image serves it',
};

// Names fixed by API.md ("Second wave") and issue 17 that .env.example does not list yet.
export const PENDING_NAMES = [
  'WORKER_HEALTH_PORT',
  'REDIS_CLUSTER_NODES',
  'DATABASE_REPLICA_URLS',
  'VAPID_PUBLIC_KEY',
  'VAPID_PRIVATE_KEY',
  'VAPID_SUBJECT',
];

// Read by Node itself, not by the app's config.
const RUNTIME_NAMES = ['NODE_OPTIONS'];

/** The variable names of an .env file. */
export function envFileNames(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter(Boolean);
}

// name → value as the container sees it ('' when unset or empty; SECRET when it comes from a Secret).
const SECRET = Symbol('secret');
function effectiveEnv(c, w, objects, outOfBand) {
  const env = new Map();
  const find = (kind, name) =>
    objects.find((o) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? '') === (w.metadata?.namespace ?? '')) ??
    outOfBand.find((o) => o.kind === kind && o.metadata?.name === name);
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) for (const [k, v] of Object.entries(find('ConfigMap', from.configMapRef.name)?.data ?? {})) env.set(k, v);
    if (from.secretRef) for (const k of Object.keys(find('Secret', from.secretRef.name)?.stringData ?? {})) env.set(k, SECRET);
  }
  for (const e of c.env ?? []) env.set(e.name, e.valueFrom ? SECRET : (e.value ?? ''));
  return env;
}

const isSet = (value) => value === SECRET || (typeof value === 'string' && value !== '');

function containerProblems(c, at, w, known, objects, outOfBand) {
  const env = effectiveEnv(c, w, objects, outOfBand);
  const problems = [];
  const problem = (field, message) => problems.push({ object: describe(w), field: `${at}.${field}`, message });
  if (!isSet(env.get('DATABASE_URL'))) problem('env', 'DATABASE_URL is not set (the default, 127.0.0.1, is not a cluster address)');
  const redis = ['REDIS_URL', 'REDIS_CLUSTER_NODES'].filter((name) => isSet(env.get(name)));
  if (redis.length !== 1)
    problem('env', `exactly one of REDIS_URL and REDIS_CLUSTER_NODES must be set (set: ${redis.join(', ') || 'neither'})`);
  for (const name of known.example) {
    if (env.has(name) || name in NOT_IN_CLUSTER || (name === 'REDIS_URL' && redis[0] === 'REDIS_CLUSTER_NODES')) continue;
    problem('env', `${name} (in .env.example) is neither set nor listed in NOT_IN_CLUSTER (scripts/k8s/app-env.mjs)`);
  }
  for (const name of env.keys()) {
    if (!known.all.has(name)) problem('env', `${name} is not a variable the server reads (not in .env.example)`);
  }
  for (const port of c.ports ?? []) {
    const variable = port.name === 'http' ? 'PORT' : port.name === 'health' ? 'WORKER_HEALTH_PORT' : undefined;
    if (variable && env.get(variable) !== String(port.containerPort)) {
      problem('ports', `port ${port.name} is ${port.containerPort} but ${variable} is ${String(env.get(variable) ?? 'unset')}`);
    }
  }
  const uploads = env.get('UPLOAD_DIR');
  if (typeof uploads === 'string' && !(c.volumeMounts ?? []).some((m) => m.mountPath === uploads && !m.readOnly)) {
    problem('volumeMounts', `UPLOAD_DIR ${uploads} is not a writable volume (the root file system is read-only)`);
  }
  return problems;
}

/** Problems of the WeatherWise containers' environment in one rendered overlay. */
export function appEnvProblems(objects, outOfBand, envExamplePath) {
  const example = envFileNames(envExamplePath);
  const known = { example, all: new Set([...example, ...PENDING_NAMES, ...RUNTIME_NAMES]) };
  const problems = [];
  for (const w of objects) {
    if (w.kind !== 'Deployment' || w.spec?.template?.metadata?.labels?.['app.kubernetes.io/part-of'] !== 'weatherwise') continue;
    (w.spec.template.spec?.containers ?? []).forEach((c, i) => {
      problems.push(...containerProblems(c, `spec.template.spec.containers[${i}]`, w, known, objects, outOfBand));
    });
  }
  return problems;
}
