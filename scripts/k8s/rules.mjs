// Rules across objects that no schema can express: every workload probed, sized, hardened and covered by a
// disruption budget; Services, autoscalers and budgets that select what exists; ConfigMaps, Secrets and claims that
// are there (a Secret applied out of band must be described by the Secret example).

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export const describe = (o) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

const sameNamespace = (a, b) => (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');

/** Kubernetes label-selector semantics (matchLabels and matchExpressions); an empty selector selects everything. */
export function selects(selector, labels = {}) {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]);
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    return false;
  });
  return byLabels && byExpressions;
}

const podLabels = (w) => w.spec?.template?.metadata?.labels ?? {};
const podSpec = (w) => w.spec?.template?.spec ?? {};
const containersOf = (w) => (podSpec(w).containers ?? []).map((c, i) => ({ c, at: `spec.template.spec.containers[${i}]` }));

// The fewest pods a workload runs: the autoscaler's minimum when one drives it, else its replica count.
function minimumReplicas(w, objects) {
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && sameNamespace(o, w) && targets(o, w));
  if (hpa) return hpa.spec?.minReplicas ?? 1;
  return w.kind === 'DaemonSet' ? 1 : (w.spec?.replicas ?? 1);
}

const targets = (hpa, w) => hpa.spec?.scaleTargetRef?.kind === w.kind && hpa.spec?.scaleTargetRef?.name === w.metadata?.name;

// Pods a budget lets a drain evict at once when `replicas` pods run.
function evictable(pdb, replicas) {
  const amount = (value, round) =>
    typeof value === 'string' && value.endsWith('%') ? round((replicas * parseInt(value, 10)) / 100) : value;
  if (pdb.spec.minAvailable !== undefined) return replicas - amount(pdb.spec.minAvailable, Math.ceil);
  return Math.min(replicas, amount(pdb.spec.maxUnavailable, Math.ceil));
}

function imageProblem(image) {
  if (typeof image !== 'string' || image.includes('@sha256:')) return undefined;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  if (!tag) return `${image} has no tag (pin one; :latest is never pulled again under IfNotPresent)`;
  if (tag === 'latest') return `${image}: pin a version instead of :latest`;
  return undefined;
}

function probePortProblems(c, at) {
  const names = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
  const problems = [];
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
    if (typeof port === 'string' && !names.has(port))
      problems.push({ field: `${at}.${probe}`, message: `port ${port} is not a named port of the container` });
  }
  return problems;
}

function containerProblems(c, at, pod) {
  const problems = [];
  const need = (ok, field, message) => ok || problems.push({ field: `${at}.${field}`, message });
  need(c.readinessProbe, 'readinessProbe', 'is required (traffic must wait for the pod to be ready)');
  need(c.livenessProbe, 'livenessProbe', 'is required (a hung process must be restarted)');
  need(c.resources?.requests?.cpu, 'resources.requests.cpu', 'is required (scheduling and CPU autoscaling use it)');
  need(c.resources?.requests?.memory, 'resources.requests.memory', 'is required');
  need(c.resources?.limits?.memory, 'resources.limits.memory', 'is required');
  need(
    c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot,
    'securityContext.runAsNonRoot',
    'must be true (here or on the pod)',
  );
  need(c.securityContext?.readOnlyRootFilesystem, 'securityContext.readOnlyRootFilesystem', 'must be true');
  need(c.securityContext?.allowPrivilegeEscalation === false, 'securityContext.allowPrivilegeEscalation', 'must be false');
  const image = imageProblem(c.image);
  if (image) problems.push({ field: `${at}.image`, message: image });
  problems.push(...probePortProblems(c, at));
  const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
  (c.volumeMounts ?? []).forEach((m, i) => need(volumes.has(m.name), `volumeMounts[${i}].name`, `no volume named ${m.name} in the pod`));
  const seen = new Set();
  (c.env ?? []).forEach((e, i) => {
    need(!seen.has(e.name), `env[${i}].name`, `${e.name} is set twice`);
    seen.add(e.name);
  });
  return problems;
}

// Every ConfigMap, Secret, claim and service account a pod names, with where it is named.
function references(w) {
  const refs = [];
  const pod = podSpec(w);
  for (const { c, at } of containersOf(w)) {
    (c.envFrom ?? []).forEach((e, i) => {
      if (e.configMapRef)
        refs.push({ kind: 'ConfigMap', name: e.configMapRef.name, optional: e.configMapRef.optional, field: `${at}.envFrom[${i}]` });
      if (e.secretRef) refs.push({ kind: 'Secret', name: e.secretRef.name, optional: e.secretRef.optional, field: `${at}.envFrom[${i}]` });
    });
    (c.env ?? []).forEach((e, i) => {
      const field = `${at}.env[${i}] (${e.name})`;
      const cm = e.valueFrom?.configMapKeyRef;
      const secret = e.valueFrom?.secretKeyRef;
      if (cm) refs.push({ kind: 'ConfigMap', name: cm.name, key: cm.key, optional: cm.optional, field });
      if (secret) refs.push({ kind: 'Secret', name: secret.name, key: secret.key, optional: secret.optional, field });
    });
  }
  (pod.volumes ?? []).forEach((v, i) => {
    const field = `spec.template.spec.volumes[${i}]`;
    if (v.configMap) refs.push({ kind: 'ConfigMap', name: v.configMap.name, optional: v.configMap.optional, field });
    if (v.secret) refs.push({ kind: 'Secret', name: v.secret.secretName, optional: v.secret.optional, field });
    if (v.persistentVolumeClaim) refs.push({ kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName, field });
  });
  if (pod.serviceAccountName && pod.serviceAccountName !== 'default') {
    refs.push({ kind: 'ServiceAccount', name: pod.serviceAccountName, field: 'spec.template.spec.serviceAccountName' });
  }
  return refs;
}

const keysOf = (o) => new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {}), ...Object.keys(o.binaryData ?? {})]);

function referenceProblems(w, objects, outOfBand) {
  const problems = [];
  for (const ref of references(w)) {
    const rendered = objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name && sameNamespace(o, w));
    const example = ref.kind === 'Secret' ? outOfBand.find((o) => o.kind === 'Secret' && o.metadata?.name === ref.name) : undefined;
    const target = rendered ?? example;
    if (!target) {
      if (!ref.optional) {
        const where = ref.kind === 'Secret' ? ' (nor in the Secret example)' : '';
        problems.push({ field: ref.field, message: `${ref.kind} ${ref.name} is not in the rendered manifests${where}` });
      }
      continue;
    }
    // The example documents every key an operator may set, optional ones included.
    if (ref.key !== undefined && !keysOf(target).has(ref.key) && (!ref.optional || target === example)) {
      problems.push({
        field: ref.field,
        message: `${ref.kind} ${ref.name} has no key ${ref.key}${target === example ? ' in the Secret example' : ''}`,
      });
    }
  }
  return problems;
}

function workloadProblems(w, objects, outOfBand) {
  const problems = [];
  const labels = podLabels(w);
  if (!selects(w.spec?.selector, labels)) problems.push({ field: 'spec.selector', message: 'does not select the pod template labels' });
  for (const { c, at } of containersOf(w)) problems.push(...containerProblems(c, at, podSpec(w)));
  problems.push(...referenceProblems(w, objects, outOfBand));

  const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget' && sameNamespace(o, w) && selects(o.spec?.selector, labels));
  if (budgets.length === 0) problems.push({ field: 'spec.template.metadata.labels', message: 'no PodDisruptionBudget selects these pods' });
  if (budgets.length > 1) {
    problems.push({
      field: 'spec.template.metadata.labels',
      message: `several PodDisruptionBudgets select these pods (${budgets.map(describe).join(', ')}); evictions fail`,
    });
  }
  const budget = budgets.length === 1 ? budgets[0] : undefined;
  if (budget?.spec && (budget.spec.minAvailable === undefined) !== (budget.spec.maxUnavailable === undefined)) {
    const min = minimumReplicas(w, objects);
    const allowed = evictable(budget, min);
    const field = budget.spec.minAvailable === undefined ? 'spec.maxUnavailable' : 'spec.minAvailable';
    if (allowed < 1)
      problems.push({
        object: describe(budget),
        field,
        message: `allows no eviction of ${describe(w)} at ${min} replica(s): node drains would hang`,
      });
    if (min >= 2 && allowed >= min)
      problems.push({ object: describe(budget), field, message: `lets a drain evict all ${min} replicas of ${describe(w)} at once` });
  }

  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && sameNamespace(o, w) && selects(o.spec?.podSelector, labels));
  const types = new Set(policies.flatMap((p) => p.spec?.policyTypes ?? ['Ingress']));
  if (!types.has('Ingress') || !types.has('Egress')) {
    problems.push({ field: 'spec.template.metadata.labels', message: 'no NetworkPolicy isolates these pods for both Ingress and Egress' });
  }
  return problems;
}

// Whether a pod's NetworkPolicies let traffic in on a container port (no Ingress policy: everything is let in).
function ingressAllowed(labels, policies, port) {
  const ingress = policies.filter((p) => selects(p.spec?.podSelector, labels) && (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress'));
  if (ingress.length === 0) return true;
  return ingress.some((p) =>
    (p.spec.ingress ?? []).some(
      (rule) =>
        !rule.ports?.length || rule.ports.some((rp) => rp.port === undefined || rp.port === port.containerPort || rp.port === port.name),
    ),
  );
}

function serviceProblems(s, objects) {
  const selector = s.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const pods = objects.filter((o) => WORKLOAD_KINDS.has(o.kind) && sameNamespace(o, s) && selects({ matchLabels: selector }, podLabels(o)));
  if (pods.length === 0) return [{ field: 'spec.selector', message: 'selects no pods of any Deployment, StatefulSet or DaemonSet' }];
  const problems = [];
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && sameNamespace(o, s));
  (s.spec.ports ?? []).forEach((sp, i) => {
    const target = sp.targetPort ?? sp.port;
    for (const w of pods) {
      const port = containersOf(w)
        .flatMap(({ c }) => c.ports ?? [])
        .find((p) => (typeof target === 'string' ? p.name === target : p.containerPort === target));
      if (!port) problems.push({ field: `spec.ports[${i}].targetPort`, message: `${target} is not a container port of ${describe(w)}` });
      else if (!ingressAllowed(podLabels(w), policies, port)) {
        problems.push({
          field: `spec.ports[${i}]`,
          message: `no NetworkPolicy lets traffic in to ${describe(w)} on port ${port.containerPort}`,
        });
      }
    }
  });
  return problems;
}

function autoscalerProblems(h, objects) {
  const ref = h.spec?.scaleTargetRef ?? {};
  const target = objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name && sameNamespace(o, h));
  const problems = [];
  if (!target) problems.push({ field: 'spec.scaleTargetRef', message: `${ref.kind} ${ref.name} is not in the rendered manifests` });
  else if (target.spec?.replicas !== undefined) {
    problems.push({
      field: 'spec.scaleTargetRef',
      message: `${describe(target)} sets spec.replicas, which resets the autoscaler's count on every apply`,
    });
  }
  if ((h.spec?.minReplicas ?? 1) > h.spec?.maxReplicas) problems.push({ field: 'spec.minReplicas', message: 'is above spec.maxReplicas' });
  return problems;
}

function budgetProblems(p, objects) {
  const problems = [];
  if ((p.spec?.minAvailable === undefined) === (p.spec?.maxUnavailable === undefined)) {
    problems.push({ field: 'spec', message: 'needs exactly one of minAvailable and maxUnavailable' });
  }
  if (!objects.some((o) => WORKLOAD_KINDS.has(o.kind) && sameNamespace(o, p) && selects(p.spec?.selector, podLabels(o)))) {
    problems.push({ field: 'spec.selector', message: 'selects no pods of any Deployment, StatefulSet or DaemonSet' });
  }
  return problems;
}

/**
 * Problems across the rendered objects of one overlay, each `{ object, field, message }`. `outOfBand` are objects
 * applied separately (the Secret example), used only to resolve references.
 */
export function crossObjectProblems(objects, outOfBand = []) {
  const problems = [];
  for (const o of objects) {
    const found = WORKLOAD_KINDS.has(o.kind)
      ? workloadProblems(o, objects, outOfBand)
      : o.kind === 'Service'
        ? serviceProblems(o, objects)
        : o.kind === 'HorizontalPodAutoscaler'
          ? autoscalerProblems(o, objects)
          : o.kind === 'PodDisruptionBudget'
            ? budgetProblems(o, objects)
            : [];
    problems.push(...found.map((p) => ({ object: describe(o), ...p })));
  }
  return problems;
}
