// The manifest check itself: the shipped overlays pass, and broken manifests fail with the object and field named.
//   node --test scripts/k8s/check.test.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkObjects, checkOverlay, defaults } from '../k8s-check.mjs';

const script = resolve(dirname(fileURLToPath(import.meta.url)), '../k8s-check.mjs');
const overlays = readdirSync(defaults.overlaysDir);
const messages = (problems) => problems.map((p) => `${p.object}: ${p.field}: ${p.message}`);
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const container = (objects, name) => find(objects, 'Deployment', name).spec.template.spec.containers[0];

describe('shipped overlays', () => {
  for (const overlay of overlays) {
    it(`${overlay} renders and has no problem`, () => {
      const { objects, problems } = checkOverlay(join(defaults.overlaysDir, overlay));
      assert.deepEqual(messages(problems), []);
      assert.ok(find(objects, 'Deployment', 'weatherwise-api'));
      assert.ok(find(objects, 'Deployment', 'weatherwise-worker'));
    });
  }

  it('dev runs one API and one worker against in-cluster redis and mysql', () => {
    const { objects } = checkOverlay(join(defaults.overlaysDir, 'dev'));
    assert.equal(find(objects, 'Deployment', 'weatherwise-api').spec.replicas, 1);
    assert.equal(find(objects, 'Deployment', 'weatherwise-worker').spec.replicas, 1);
    assert.equal(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').length, 0);
    const config = objects.find((o) => o.kind === 'ConfigMap').data;
    assert.equal(config.REDIS_URL, 'redis://redis:6379');
    assert.equal(config.DATABASE_URL, 'mysql://root@mysql:3306/weatherwise');
  });

  it('prod scales the API, runs two workers, and uses a Redis Cluster and MySQL replicas', () => {
    const { objects } = checkOverlay(join(defaults.overlaysDir, 'prod'));
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'weatherwise-api');
    assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
    assert.ok(find(objects, 'Deployment', 'weatherwise-worker').spec.replicas >= 2);
    const config = objects.find((o) => o.kind === 'ConfigMap').data;
    assert.match(config.REDIS_CLUSTER_NODES, /^[\w.-]+:\d+(,[\w.-]+:\d+)+$/);
    assert.equal(config.REDIS_URL, undefined);
    const env = container(objects, 'weatherwise-api').env.map((e) => e.name);
    assert.ok(env.includes('DATABASE_REPLICA_URLS'));
  });
});

describe('schema validation', () => {
  const broken = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'broken', labels: { 'app.kubernetes.io/part-of': 'other' } },
    spec: {
      replicas: 'two',
      template: {
        metadata: { labels: { app: 'broken' } },
        spec: { containers: [{ name: 'c', image: 'x:1', readinessProbes: {}, ports: [{ containerPort: '80' }] }] },
      },
    },
  };

  it('names the object and the field of each schema error, unknown fields included', () => {
    const found = messages(checkObjects([broken]));
    for (const expected of [
      'Deployment broken: spec.replicas: must be integer',
      'Deployment broken: spec.selector: is required',
      'Deployment broken: spec.template.spec.containers[0].ports[0].containerPort: must be integer',
      'Deployment broken: spec.template.spec.containers[0].readinessProbes: unknown field',
    ]) {
      assert.ok(found.includes(expected), `missing "${expected}" in:\n${found.join('\n')}`);
    }
  });

  it('rejects unknown kinds and beta APIs', () => {
    const found = messages(
      checkObjects([
        { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'a' } },
        { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'b' }, spec: { maxUnavailable: 1 } },
      ]),
    );
    assert.ok(found.includes('Deploymnet a: kind: Deploymnet is not a kind of apps/v1 in the Kubernetes schemas'), found.join('\n'));
    assert.ok(
      found.some((m) => m.startsWith('PodDisruptionBudget b: apiVersion: policy/v1beta1 is not a stable API')),
      found.join('\n'),
    );
  });
});

describe('cross-object rules', () => {
  const fresh = () => checkOverlay(join(defaults.overlaysDir, 'prod')).objects;

  const cases = [
    {
      name: 'a Deployment without a budget',
      breakIt: (objects) => objects.filter((o) => !(o.kind === 'PodDisruptionBudget' && o.metadata.name === 'weatherwise-worker')),
      expected: 'Deployment weatherwise/weatherwise-worker: spec.template.metadata.labels: no PodDisruptionBudget selects these pods',
    },
    {
      name: 'a ConfigMap that is not rendered',
      breakIt: (objects) => {
        container(objects, 'weatherwise-api').envFrom[0].configMapRef.name = 'weatherwise-cfg';
        return objects;
      },
      expected:
        'Deployment weatherwise/weatherwise-api: spec.template.spec.containers[0].envFrom[0]: ConfigMap weatherwise-cfg is not in the rendered manifests',
    },
    {
      name: 'a Secret key the example does not have',
      breakIt: (objects) => {
        container(objects, 'weatherwise-worker').env.find((e) => e.name === 'GITHUB_TOKEN').valueFrom.secretKeyRef.key = 'GH_TOKEN';
        return objects;
      },
      expected: 'Secret weatherwise-secrets has no key GH_TOKEN in the Secret example',
    },
    {
      name: 'a Service whose target port is not a container port',
      breakIt: (objects) => {
        find(objects, 'Service', 'weatherwise-api').spec.ports[0].targetPort = 'web';
        return objects;
      },
      expected:
        'Service weatherwise/weatherwise-api: spec.ports[0].targetPort: web is not a container port of Deployment weatherwise/weatherwise-api',
    },
    {
      name: 'a Service port no NetworkPolicy opens',
      breakIt: (objects) => objects.filter((o) => o.metadata.name !== 'weatherwise-api-ingress'),
      expected:
        'Service weatherwise/weatherwise-api: spec.ports[0]: no NetworkPolicy lets traffic in to Deployment weatherwise/weatherwise-api on port 4000',
    },
    {
      name: 'REDIS_URL beside REDIS_CLUSTER_NODES',
      breakIt: (objects) => {
        objects.find((o) => o.kind === 'ConfigMap').data.REDIS_URL = 'redis://redis:6379';
        return objects;
      },
      expected: 'exactly one of REDIS_URL and REDIS_CLUSTER_NODES must be set (set: REDIS_URL, REDIS_CLUSTER_NODES)',
    },
    {
      name: 'a misspelt variable',
      breakIt: (objects) => {
        objects.find((o) => o.kind === 'ConfigMap').data.GRAPHQL_MAX_DEPHT = '12';
        return objects;
      },
      expected: 'GRAPHQL_MAX_DEPHT is not a variable the server reads (not in .env.example)',
    },
    {
      name: 'an unpinned image',
      breakIt: (objects) => {
        container(objects, 'weatherwise-api').image = 'weatherwise:latest';
        return objects;
      },
      expected:
        'Deployment weatherwise/weatherwise-api: spec.template.spec.containers[0].image: weatherwise:latest: pin a version instead of :latest',
    },
  ];

  for (const { name, breakIt, expected } of cases) {
    it(`reports ${name}`, () => {
      const found = messages(checkObjects(breakIt(fresh())));
      assert.ok(
        found.some((m) => m.includes(expected)),
        `missing "${expected}" in:\n${found.join('\n')}`,
      );
    });
  }
});

describe('command line', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-check-'));
    // kustomize only accepts relative paths to other kustomizations.
    const prod = relative(dir, join(defaults.overlaysDir, 'prod'));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      [
        'resources:',
        `  - ${prod}`,
        'patches:',
        '  - target: { kind: Deployment, name: weatherwise-api }',
        '    patch: |-',
        '      - op: add',
        '        path: /spec/template/spec/containers/0/resources/requests/memory',
        '        value: lots',
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes on the shipped overlays', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const overlay of overlays) assert.match(run.stdout, new RegExp(`ok   deploy/k8s/overlays/${overlay}: `));
  });

  it('exits 1 on a broken overlay and names the object and field', () => {
    const run = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /FAIL .*: 1 problem\(s\)/);
    assert.match(
      run.stdout,
      /Deployment weatherwise\/weatherwise-api: spec\.template\.spec\.containers\[0\]\.resources\.requests\.memory: must be number or must match format "quantity"/,
    );
  });
});
