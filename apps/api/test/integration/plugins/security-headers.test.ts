import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';

let dashboardDir: string;
let app: TestApp;
beforeAll(async () => {
  dashboardDir = await mkdtemp(path.join(tmpdir(), 'callbridge-dashboard-'));
  await writeFile(path.join(dashboardDir, 'index.html'), '<!doctype html><div id="root"></div>');
  app = await buildTestApp({ DASHBOARD_DIR: dashboardDir, TRUST_PROXY: '1' });
});
afterAll(async () => {
  await app?.close();
  await rm(dashboardDir, { recursive: true, force: true });
});

function directives(policy: string | undefined): Map<string, string> {
  return new Map(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

describe('security headers', () => {
  it('serves the dashboard with a CSP that allows only its own scripts and no framing', async () => {
    const response = await app.inject({ method: 'GET', url: '/dashboard/' });
    expect(response.statusCode).toBe(200);
    const csp = directives(response.headers['content-security-policy'] as string);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('script-src-attr')).toBe("'none'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('media-src')).toBe("'self' https:");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('lets Swagger UI at /docs use inline styles, never inline scripts', async () => {
    for (const url of ['/docs', '/docs/static/index.html', '/docs/static/swagger-initializer.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeLessThan(400);
      const csp = directives(response.headers['content-security-policy'] as string);
      expect(csp.get('style-src'), url).toBe("'self' 'unsafe-inline'");
      expect(csp.get('script-src'), url).toBe("'self'");
      expect(csp.get('frame-ancestors'), url).toBe("'none'");
    }
  });

  it('sends nosniff on API answers and errors alike', async () => {
    for (const request of [
      { url: '/health' },
      { url: '/api/v1/vapi/calls/x', headers: { authorization: `Bearer ${TEST_API_KEY}` } },
      { url: '/api/v1/vapi/calls/x' },
    ]) {
      const response = await app.inject({ method: 'GET', ...request });
      expect(response.headers['x-content-type-options'], request.url).toBe('nosniff');
    }
  });

  it('sends HSTS only on a request that came over TLS, as a trusted proxy says', async () => {
    const plain = await app.inject({ method: 'GET', url: '/health' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const behindTls = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' },
    });
    expect(behindTls.headers['strict-transport-security']).toBe('max-age=15552000');
  });

  it('ignores X-Forwarded-Proto from an untrusted client, and sends no HSTS when it is off', async () => {
    const untrusting = await buildTestApp();
    const off = await buildTestApp({ TRUST_PROXY: '1', HSTS_MAX_AGE_SECONDS: '0' });
    try {
      const headers = { 'x-forwarded-proto': 'https' };
      const forged = await untrusting.inject({ method: 'GET', url: '/health', headers });
      expect(forged.headers['strict-transport-security']).toBeUndefined();
      const disabled = await off.inject({ method: 'GET', url: '/health', headers });
      expect(disabled.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await untrusting.close();
      await off.close();
    }
  });
});
