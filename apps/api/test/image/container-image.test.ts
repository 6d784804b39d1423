import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRow } from '../support/database.ts';
import { type SpawnedApi, spawnApi, startWebhook } from '../support/spawned-api.ts';
import { TEST_API_KEY, testEnv } from '../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../support/vapi-fixtures.ts';

// Runs the image `scripts/image` built (IMAGE, default callbridge:local) the way this machine can run one:
// buildah run with chroot isolation on the host network. The process is the image's own entry and user.
const IMAGE = process.env.IMAGE ?? 'callbridge:local';
const run = promisify(execFile);
const container = `callbridge-image-test-${process.pid}`;

/** The API's node process inside the container, found among the host's processes (chroot isolation). */
function containerNodePid(port: number): number {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (cmdline[0]?.endsWith('node') && environ.includes(`PORT=${port}`)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  throw new Error('the container process was not found');
}

function uidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Uid:'));
  return Number(line?.split(/\s+/)[1]);
}

let api: SpawnedApi;
let port: number;
beforeAll(async () => {
  await run('buildah', ['from', '--quiet', '--name', container, IMAGE]);
  port = await getPort();
  // Only the configuration goes in: the image brings its own NODE_ENV (production), DASHBOARD_DIR and entry.
  const { NODE_ENV: _, ...env } = testEnv({
    LOG_LEVEL: 'warn',
    SHUTDOWN_DRAIN_DELAY_MS: '1000',
    // Production (the image's NODE_ENV) keeps /metrics behind a token.
    METRICS_TOKEN: 'image-test-metrics-token-0123456789',
    // The image's own spool directory, as production mounts a volume there.
    SPOOL_DIR: '/var/lib/callbridge/spool',
  });
  const envArgs = Object.entries({ ...env, PORT: String(port), HOST: '127.0.0.1' }).flatMap(
    ([name, value]) => ['--env', `${name}=${value}`],
  );
  api = await spawnApi(
    'buildah',
    [
      'run',
      '--isolation',
      'chroot',
      '--network',
      'host',
      ...envArgs,
      container,
      '--',
      'node',
      'dist/server.js',
    ],
    { cwd: process.cwd(), env: {}, port, readyTimeoutMs: 60_000 },
  );
}, 90_000);
afterAll(async () => {
  if (api && api.child.exitCode === null) api.child.kill('SIGKILL');
  await run('buildah', ['rm', container]).catch(() => undefined);
});

describe(`the container image (${IMAGE})`, () => {
  it('serves /health, /ready, /docs and the dashboard', async () => {
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    expect((await fetch(`${api.url}/ready`)).status).toBe(200);
    const docs = await fetch(`${api.url}/docs/json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { paths: object }).paths).toHaveProperty(['/api/v1/vapi/calls/{callId}']);
    const dashboard = await fetch(`${api.url}/dashboard/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<div id="root">');
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
  });

  it('stores a signed webhook and reads it back', async () => {
    const callId = uniqueCallId('image');
    const webhook = await startWebhook(api.url, vapiFixture('end-of-call-report', callId));
    expect((await webhook.finish()).status).toBe(200);
    expect(await callRow(callId)).toMatchObject({ call_id: callId, status: 'ended' });
    const read = await fetch(`${api.url}/api/v1/vapi/calls/${callId}`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { data: object }).data).toMatchObject({
      callId,
      final: true,
      outcome: 'completed',
    });
  });

  it('carries the migrations its code expects, for the migrations job', async () => {
    const { stdout } = await run('buildah', [
      'run',
      '--isolation',
      'chroot',
      container,
      '--',
      'ls',
      '/app/supabase/migrations',
    ]);
    const repo = readdirSync(new URL('../../../../supabase/migrations', import.meta.url)).sort();
    expect(stdout.trim().split('\n').sort()).toEqual(repo);
  });

  it('runs as the non-root user 10001, who owns the spool directory', async () => {
    expect(uidOf(containerNodePid(port))).toBe(10001);
    const { stdout } = await run('buildah', [
      'run',
      '--isolation',
      'chroot',
      container,
      '--',
      'sh',
      '-c',
      'id -u; test -w /var/lib/callbridge/spool && echo writable',
    ]);
    expect(stdout.trim().split('\n')).toEqual(['10001', 'writable']);
  });

  it('drains on SIGTERM (in-flight deliveries answered 2xx) and exits 0', async () => {
    const callIds = Array.from({ length: 4 }, () => uniqueCallId('image-drain'));
    const inFlight = await Promise.all(
      callIds.map((callId) => startWebhook(api.url, vapiFixture('end-of-call-report', callId))),
    );
    // What Kubernetes does: SIGTERM to the container's process.
    process.kill(containerNodePid(port), 'SIGTERM');
    await sleep(100);
    expect((await fetch(`${api.url}/ready`)).status).toBe(503);
    const answers = await Promise.all(inFlight.map((webhook) => webhook.finish()));
    expect(
      answers.map((answer) => answer.status),
      api.output(),
    ).toEqual(callIds.map(() => 200));
    expect(await api.exited).toBe(0);
    for (const callId of callIds) expect(await callRow(callId)).toMatchObject({ call_id: callId });
  }, 40_000);
});
