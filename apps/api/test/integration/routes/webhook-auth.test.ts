import { afterEach, describe, expect, it } from 'vitest';
import { appWithLog } from '../../support/app-with-log.ts';
import { callEvents } from '../../support/database.ts';
import { TEST_WEBHOOK_SECRET, vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const GENERIC_401 = { success: false, error: 'Unauthorized', message: 'Webhook could not be authenticated' };

describe('webhook authentication', () => {
  it('answers 401 with a generic body, stores nothing, and logs why without the secret', async () => {
    const { app, log } = await appWithLog({});
    close = () => app.close();
    const callId = uniqueCallId();
    const body = JSON.stringify(vapiFixture('hang', callId));
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: vapiHmacHeaders(body, { secret: 'an-attackers-guess' }),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(GENERIC_401);
    expect(await callEvents(callId)).toEqual([]);
    expect(log()).toContain('"reason":"signature-mismatch"');
    expect(log()).not.toContain(TEST_WEBHOOK_SECRET);
  });

  it.each([
    ['a stale timestamp', { timestamp: String(Date.now() - 10 * 60_000) }, 'stale-timestamp'],
    ['no signature at all', undefined, 'missing-signature'],
  ] as const)('rejects %s and says so in the log', async (_label, signing, reason) => {
    const { app, log } = await appWithLog({});
    close = () => app.close();
    const body = JSON.stringify(vapiFixture('hang', uniqueCallId()));
    const headers = signing ? vapiHmacHeaders(body, signing) : { 'content-type': 'application/json' };
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(GENERIC_401);
    expect(log()).toContain(`"reason":"${reason}"`);
  });

  it('accepts both secrets while a rotation is under way', async () => {
    const { app } = await appWithLog({ VAPI_WEBHOOK_SECRET: `old-secret-0123456789,${TEST_WEBHOOK_SECRET}` });
    close = () => app.close();
    for (const secret of ['old-secret-0123456789', TEST_WEBHOOK_SECRET]) {
      const body = JSON.stringify(vapiFixture('hang', uniqueCallId()));
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/vapi/webhook',
        payload: body,
        headers: vapiHmacHeaders(body, { secret }),
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('checks the x-vapi-secret header in secret mode', async () => {
    const { app } = await appWithLog({ VAPI_WEBHOOK_AUTH: 'secret' });
    close = () => app.close();
    const payload = vapiFixture('hang', uniqueCallId());
    const post = (secret: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/vapi/webhook',
        payload,
        headers: { 'x-vapi-secret': secret },
      });
    expect((await post(TEST_WEBHOOK_SECRET)).statusCode).toBe(200);
    expect((await post('wrong')).statusCode).toBe(401);
  });

  it('checks Authorization: Bearer in bearer mode', async () => {
    const { app } = await appWithLog({ VAPI_WEBHOOK_AUTH: 'bearer' });
    close = () => app.close();
    const payload = vapiFixture('hang', uniqueCallId());
    const post = (authorization: string) =>
      app.inject({ method: 'POST', url: '/api/v1/vapi/webhook', payload, headers: { authorization } });
    expect((await post(`Bearer ${TEST_WEBHOOK_SECRET}`)).statusCode).toBe(200);
    expect((await post('Bearer wrong')).statusCode).toBe(401);
  });

  it('accepts unsigned webhooks only when verification is turned off, and warns loudly', async () => {
    const { app, log } = await appWithLog({ VAPI_WEBHOOK_AUTH: 'none', VAPI_WEBHOOK_SECRET: '' });
    close = () => app.close();
    const callId = uniqueCallId();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: vapiFixture('hang', callId),
    });
    expect(response.statusCode).toBe(200);
    expect(log()).toMatch(/"level":40.*webhook verification is OFF/);
  });
});
