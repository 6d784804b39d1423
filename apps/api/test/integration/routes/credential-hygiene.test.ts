import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, buildAdminTestApp } from '../../support/admin.ts';
import { callEvents, callRow } from '../../support/database.ts';
import { postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildAdminTestApp({ AUTH_FAILURE_RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(() => app?.close());

describe('credentials in a delivery', () => {
  it('are stored redacted: cloud and provider keys named …Key included', async () => {
    const callId = uniqueCallId('redact');
    const report = vapiFixture('end-of-call-report', callId) as { message: Record<string, unknown> };
    const values = {
      secretKey: 'sk-live-secret-key-never-stored',
      accessKey: 'access-key-never-stored',
      awsSecretAccessKey: 'aws-secret-access-key-never-stored',
      awsAccessKeyId: 'AKIA-never-stored',
      authKey: 'auth-key-never-stored',
      hmacSecret: 'hmac-secret-never-stored',
      ocpApimSubscriptionKey: 'azure-subscription-key-never-stored',
      gcpKey: 'gcp-key-never-stored',
    };
    report.message.assistant = {
      ...(report.message.assistant as object),
      credentials: [{ provider: 's3', ...values }],
      model: { provider: 'custom-llm', ...values },
    };
    report.message.artifact = { ...(report.message.artifact as object), storage: values };
    expect((await postWebhook(app, report)).statusCode).toBe(200);

    const stored = JSON.stringify([...(await callEvents(callId)), await callRow(callId)]);
    for (const value of Object.values(values)) expect(stored).not.toContain(value);
    expect(stored).toContain('"secretKey":"[redacted]"');
    expect(stored).toContain('"awsSecretAccessKey":"[redacted]"');
  });
});

describe('admin key guessing', () => {
  it('is answered 429 per client past AUTH_FAILURE_RATE_LIMIT_PER_MINUTE, while the real key still works from elsewhere', async () => {
    const guess = (index: number, remoteAddress = '198.51.100.20') =>
      app.inject({
        method: 'GET',
        url: '/api/v1/admin/sources',
        remoteAddress,
        headers: { authorization: `Bearer cb_admin_guess_${index}_0123456789abcdef` },
      });
    const statuses = [];
    for (let index = 0; index < 8; index++) statuses.push((await guess(index)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = await guess(99);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toMatchObject({ success: false, error: 'Too Many Requests' });

    const real = await app.inject({
      method: 'GET',
      url: '/api/v1/admin/sources',
      remoteAddress: '192.0.2.30',
      headers: adminAuth,
    });
    expect(real.statusCode).toBe(200);
    expect((await guess(100, '192.0.2.31')).statusCode).toBe(401);
  });
});
