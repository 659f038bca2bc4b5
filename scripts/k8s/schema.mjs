// Validates one Kubernetes object against the OpenAPI schemas that kubernetes-models ships (compiled ajv validators,
// no network). The schemas do not forbid unknown fields, so a misspelt field (`readinessProbes`) would pass silently;
// the object is wrapped in a proxy that records which fields the validator looked at, and any other field is unknown.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const STABLE_API_VERSION = /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*\/)?v\d+$/;
const ANY_API_VERSION = /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*\/)?v\d+(?:(?:alpha|beta)\d+)?$/;

export const schemaSource = `kubernetes-models ${require('kubernetes-models/package.json').version}`;

/** `spec.template.spec.containers[0].image` from an ajv instance path `/spec/template/spec/containers/0/image`. */
export function fieldPath(pointer) {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function modelFor(apiVersion, kind) {
  if (!ANY_API_VERSION.test(apiVersion) || typeof kind !== 'string') return undefined;
  try {
    return require(`kubernetes-models/${apiVersion}`)[kind];
  } catch {
    return undefined;
  }
}

// Each object and array the validator reaches is handed out as a proxy that notes the property names it reads.
function tracked(root) {
  const reads = new Map();
  const proxies = new WeakMap();
  const wrap = (value, path) => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (proxy) return proxy;
    const seen = new Set();
    reads.set(value, { path, seen });
    proxy = new Proxy(value, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || !Object.hasOwn(target, key)) return child;
        seen.add(key);
        return wrap(child, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(root, ''), reads };
}

function unknownFields(reads) {
  const problems = [];
  for (const [value, { path, seen }] of reads) {
    // A validator that read nothing was given a free-form value; a map's validator reads every key.
    if (Array.isArray(value) || seen.size === 0) continue;
    for (const key of Object.keys(value)) {
      if (!seen.has(key)) problems.push({ field: fieldPath(`${path}/${key}`), message: 'unknown field' });
    }
  }
  return problems;
}

function schemaErrors(errors) {
  const byField = new Map();
  for (const error of errors) {
    const pointer = error.keyword === 'required' ? `${error.instancePath}/${error.params.missingProperty}` : error.instancePath;
    const message = error.keyword === 'required' ? 'is required' : error.message;
    const field = fieldPath(pointer) || '(object)';
    byField.set(field, [...new Set([...(byField.get(field) ?? []), message])]);
  }
  // A oneOf (int-or-string, quantity) fails with one message per branch and a summary: say "this or that".
  return [...byField].map(([field, messages]) => {
    const branches = messages.filter((m) => !m.includes('"oneOf"'));
    const message = branches.length < messages.length ? branches.join(' or ') : messages.join('; ');
    return { field, message };
  });
}

/** Problems of one object against its kind's schema: `{ field, message }`, empty when it is valid. */
export function schemaProblems(object) {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return [{ field: '(document)', message: 'is not an object' }];
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string') return [{ field: 'apiVersion', message: 'is required' }];
  if (typeof kind !== 'string') return [{ field: 'kind', message: 'is required' }];
  const Model = modelFor(apiVersion, kind);
  if (!Model) return [{ field: 'kind', message: `${kind} is not a kind of ${apiVersion} in the Kubernetes schemas` }];
  const problems = [];
  if (!STABLE_API_VERSION.test(apiVersion)) {
    problems.push({
      field: 'apiVersion',
      message: `${apiVersion} is not a stable API (alpha and beta APIs are off by default or removed)`,
    });
  }
  if (typeof object.metadata?.name !== 'string' || object.metadata.name === '')
    problems.push({ field: 'metadata.name', message: 'is required' });
  const { proxy, reads } = tracked(object);
  try {
    Model.prototype.validate.call(proxy);
  } catch (err) {
    if (!Array.isArray(err.errors)) throw err;
    problems.push(...schemaErrors(err.errors));
  }
  return [...problems, ...unknownFields(reads)];
}
