import getPort from 'get-port';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.ts';
import { type SpawnedApi, spawnApi } from '../../support/spawned-api.ts';
import { testEnv } from '../../support/test-app.ts';

const apiDir = new URL('../../..', import.meta.url).pathname;
const METRICS_TOKEN = 'metrics-token-9a8b7c6d5e4f';

/** The production entry, as deployed: NODE_ENV=production and no METRICS_TOKEN unless given. */
async function startProduction(env: Record<string, string>): Promise<SpawnedApi> {
  const { NODE_ENV: _, ...base } = testEnv() as Record<string, string>;
  return spawnApi(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    port: await getPort(),
    env: {
      ...base,
      NODE_ENV: 'production',
      RETENTION_WORKER_ENABLED: 'false',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...env,
    },
  });
}

async function stop(api: SpawnedApi) {
  api.child.kill('SIGTERM');
  await api.exited;
}

describe('/metrics in production', () => {
  it('refuses to start with neither METRICS_TOKEN nor METRICS_PORT, naming both', async () => {
    const failure = await startProduction({}).then(
      async (api) => {
        await stop(api);
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(failure).toContain('exited early');
    expect(failure).toContain('METRICS_TOKEN: or METRICS_PORT is required when NODE_ENV=production');
  });

  it('with METRICS_PORT: serves /metrics on its own listener only, never on the public port', async () => {
    const metricsPort = await getPort();
    const api = await startProduction({ METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' });
    try {
      expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${api.url}/health`)).status).toBe(200);

      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status, api.output()).toBe(200);
      const text = await scrape.text();
      expect(text).toContain('# TYPE callbridge_webhooks_total counter');
      expect(sampleValue(parsePrometheusText(text).samples, 'callbridge_long_poll_waiters')).toBe(0);
      // The metrics listener serves nothing else.
      for (const path of ['/health', '/api/v1/vapi/calls', '/docs', '/dashboard/']) {
        expect((await fetch(`http://127.0.0.1:${metricsPort}${path}`)).status, path).toBe(404);
      }
    } finally {
      await stop(api);
    }
  });

  it('with METRICS_TOKEN on the public port: 401 without it, 429 for a client guessing it', async () => {
    const api = await startProduction({ METRICS_TOKEN, AUTH_FAILURE_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses = [];
      for (let index = 0; index < 5; index++) {
        const response = await fetch(`${api.url}/metrics`, {
          headers: { authorization: `Bearer guess-${index}-0123456789` },
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const scrape = await fetch(`${api.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(scrape.status).toBe(200);
    } finally {
      await stop(api);
    }
  });
});
