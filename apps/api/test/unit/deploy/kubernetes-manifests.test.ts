import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, type IContainer, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ENV_VARIABLES } from '../../../src/config/config-schema.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { validEnv } from '../../support/config-env.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../../..');
const BASE = path.join(ROOT, 'deploy/kubernetes');

type Manifest = { kind: string; apiVersion: string; metadata: { name: string } } & Record<string, unknown>;

function manifestsIn(dir: string): Manifest[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) =>
      parseAllDocuments(readFileSync(path.join(dir, file), 'utf8')).map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
        return doc.toJS() as Manifest;
      }),
    );
}

// Each kind through the Kubernetes models' own JSON-schema validation (they throw on what the API server refuses).
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap,
  Secret,
  Service,
  StatefulSet,
  PodDisruptionBudget,
  Job,
  ServiceMonitor,
};

const base = manifestsIn(BASE);
const monitoring = manifestsIn(path.join(BASE, 'monitoring'));
const byKind = <T>(kind: string) => base.find((manifest) => manifest.kind === kind) as unknown as T;
const statefulSet = byKind<StatefulSet>('StatefulSet');
const configMap = byKind<ConfigMap>('ConfigMap');
const secret = byKind<Secret>('Secret');
const api = statefulSet.spec?.template.spec?.containers[0] as IContainer;

describe('deploy/kubernetes', () => {
  it('holds only manifests that validate against the Kubernetes schemas', () => {
    expect(base.map((manifest) => manifest.kind).sort()).toEqual([
      'ConfigMap',
      'Job',
      'PodDisruptionBudget',
      'Secret',
      'Service',
      'Service',
      'StatefulSet',
    ]);
    for (const manifest of [...base, ...monitoring]) {
      const Model = MODELS[manifest.kind];
      if (!Model) throw new Error(`no model for ${manifest.kind}`);
      expect(() => new Model(manifest as never).validate(), manifest.metadata.name).not.toThrow();
    }
  });

  it('lists every manifest in its kustomization, and nothing that is missing', () => {
    for (const dir of [BASE, path.join(BASE, 'monitoring')]) {
      const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as {
        resources: string[];
      };
      const listed = kustomization.resources.sort();
      const present = readdirSync(dir).filter(
        (file) => file.endsWith('.yaml') && file !== 'kustomization.yaml',
      );
      expect(listed).toEqual(present.sort());
    }
  });

  it('sets only variables the API reads, and the API accepts them', () => {
    const known = new Set(ENV_VARIABLES);
    const settings = { ...configMap.data, ...secret.stringData };
    expect(Object.keys(settings).filter((name) => !known.has(name))).toEqual([]);
    // The Secret's values are placeholders; the ConfigMap's must load as they are, with real secrets.
    expect(() => loadConfig({ ...validEnv, ...configMap.data })).not.toThrow();
  });

  it('gives the pod the whole drain before SIGKILL: preStop + SHUTDOWN_TIMEOUT_MS + a margin', () => {
    const defaults = loadConfig(validEnv);
    const timings = configMap.data ?? {};
    // The ConfigMap states the defaults, so the grace period below is derived from what the API does.
    expect(Number(timings.SHUTDOWN_DRAIN_DELAY_MS)).toBe(defaults.server.shutdown.drainDelayMs);
    expect(Number(timings.WEBHOOK_STORE_BUDGET_MS)).toBe(defaults.webhook.store.budgetMs);
    expect(Number(timings.SHUTDOWN_TIMEOUT_MS)).toBe(defaults.server.shutdown.timeoutMs);

    const command = api.lifecycle?.preStop?.exec?.command ?? [];
    expect(command[0]).toBe('sleep');
    const preStopSeconds = Number(command[1]);
    expect(preStopSeconds).toBeGreaterThan(0);
    const grace = statefulSet.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
    const shutdownSeconds = Math.ceil(Number(timings.SHUTDOWN_TIMEOUT_MS) / 1000);
    expect(grace - preStopSeconds - shutdownSeconds).toBeGreaterThanOrEqual(3);
    // The drain itself fits in the shutdown timeout (the API refuses to start otherwise).
    expect(Number(timings.SHUTDOWN_TIMEOUT_MS)).toBeGreaterThan(
      Number(timings.SHUTDOWN_DRAIN_DELAY_MS) + Number(timings.WEBHOOK_STORE_BUDGET_MS),
    );
  });

  it("keeps each pod's spool on its own volume, larger than the spool's cap, never on an emptyDir", () => {
    const spoolDir = configMap.data?.SPOOL_DIR;
    const mount = api.volumeMounts?.find((volume) => volume.mountPath === spoolDir);
    expect(mount).toBeDefined();
    const claim = statefulSet.spec?.volumeClaimTemplates?.find(
      (template) => template.metadata?.name === mount?.name,
    );
    expect(claim, 'the spool mount comes from a volumeClaimTemplate').toBeDefined();
    const volumes = statefulSet.spec?.template.spec?.volumes ?? [];
    expect(volumes.some((volume) => volume.name === mount?.name)).toBe(false);
    const storage = String(claim?.spec?.resources?.requests?.storage);
    const gib = /^(\d+)Gi$/.exec(storage);
    expect(Number(gib?.[1]) * 1024 ** 3).toBeGreaterThan(Number(configMap.data?.SPOOL_MAX_BYTES));
    expect(statefulSet.spec?.template.spec?.securityContext?.fsGroup).toBe(10001);
  });

  it('probes readiness on /ready and liveness on /health, on the port the API listens on', () => {
    expect(api.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(api.livenessProbe?.httpGet?.path).toBe('/health');
    expect(api.ports?.[0]?.containerPort).toBe(Number(configMap.data?.PORT));
  });

  it("runs nothing as root, as the image's own user", () => {
    const imageUser = /^USER (\d+):(\d+)$/m.exec(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
    for (const manifest of base.filter((m) => m.kind === 'StatefulSet' || m.kind === 'Job')) {
      const pod = (manifest as unknown as StatefulSet).spec?.template.spec;
      expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: Number(imageUser?.[1]) });
      for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
        expect(container.securityContext, container.name).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('keeps a pod up through voluntary disruptions and takes every secret from the one Secret', () => {
    expect(byKind<PodDisruptionBudget>('PodDisruptionBudget').spec?.minAvailable).toBe(1);
    expect(statefulSet.spec?.replicas).toBeGreaterThan(1);
    const referenced = [...base, ...monitoring].flatMap((manifest) =>
      [...JSON.stringify(manifest).matchAll(/"name":"callbridge-secrets","key":"([A-Z_]+)"/g)].map(
        (m) => m[1],
      ),
    );
    expect(referenced.length).toBeGreaterThan(0);
    for (const key of referenced) expect(Object.keys(secret.stringData ?? {})).toContain(key);
  });
});
