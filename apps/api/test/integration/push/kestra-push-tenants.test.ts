import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTestSource, TEST_ADMIN_KEY, TEST_SOURCE_SECRETS_KEY } from '../../support/admin.ts';
import { forExecution, uniqueExecutionId, usePushStack } from '../../support/push-stack.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { getCall, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// Issue 18, finding 6: the execution id and tenant come from assistantOverrides.metadata, which whoever
// holds a source's secret writes. These tests send what such a holder would send.
const push = usePushStack();

const report = (callId: string, metadata: Record<string, unknown>) =>
  forExecution(vapiFixture('end-of-call-report', callId), metadata);

function logLines() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      // pino writes one JSON line per record; a throw here would stall the logger, so none escapes.
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ unparsed: line });
        }
      }
      done();
    },
  });
  return { lines, stream };
}

const buildWithAdmin = (overrides: Record<string, string>, stream: Writable) =>
  push.buildApp(
    { ADMIN_API_KEYS: TEST_ADMIN_KEY, SOURCE_SECRETS_KEY: TEST_SOURCE_SECRETS_KEY, ...overrides },
    { level: 'info', stream },
  );

function postToSource(app: TestApp, source: { id: string; secret: string }, payload: unknown) {
  const body = JSON.stringify(payload);
  return app.inject({
    method: 'POST',
    url: `/api/v1/vapi/sources/${source.id}/webhook`,
    payload: body,
    headers: vapiHmacHeaders(body, { secret: source.secret }),
  });
}

async function settledPush(app: TestApp, callId: string) {
  await expect
    .poll(async () => (await getCall(app, callId)).json().kestraPush?.state, { timeout: 5000 })
    .not.toBe('pending');
  return (await getCall(app, callId)).json().kestraPush;
}

describe('a push outside the tenants its source is allowed', () => {
  it("is never sent when a source's signed delivery names another tenant; its own tenant is pushed", async () => {
    const { lines, stream } = logLines();
    const app = await buildWithAdmin({ KESTRA_ALLOWED_TENANTS: 'main,sales' }, stream);
    const kestra = push.kestra();
    const source = await createTestSource(app, { kestraTenants: ['acme'] });
    expect(source.kestraTenants).toEqual(['acme']);

    // Another tenant's paused execution, whose id the attacker learned.
    const victim = uniqueExecutionId();
    kestra.createExecution(victim, { tenant: 'sales', paused: true });
    const hostileCall = uniqueCallId('other-tenant');
    const stored = await postToSource(
      app,
      source,
      report(hostileCall, { kestraExecutionId: victim, kestraTenant: 'sales' }),
    );
    expect(stored.statusCode).toBe(200);
    expect(await settledPush(app, hostileCall)).toMatchObject({
      executionId: victim,
      tenant: 'sales',
      state: 'failed',
      attempts: 1,
      lastStatus: null,
      lastError: 'refused: tenant-not-allowed',
    });
    // Without a tenant the push goes to KESTRA_TENANT (main), which this source was not given either.
    const defaultTenantCall = uniqueCallId('default-tenant');
    await postToSource(app, source, report(defaultTenantCall, { kestraExecutionId: victim }));
    expect((await settledPush(app, defaultTenantCall)).lastError).toBe('refused: tenant-not-allowed');

    const own = uniqueExecutionId();
    kestra.createExecution(own, { tenant: 'acme', paused: true });
    const ownCall = uniqueCallId('own-tenant');
    await postToSource(app, source, report(ownCall, { kestraExecutionId: own, kestraTenant: 'acme' }));
    expect((await kestra.waitForResume(own, 5000)).tenant).toBe('acme');
    expect(await settledPush(app, ownCall)).toMatchObject({ state: 'delivered', lastStatus: 200 });

    expect(kestra.requestsFor(victim)).toEqual([]);
    expect(kestra.resumesOf(victim)).toEqual([]);
    const refusals = lines.filter((line) => line.msg === 'kestra push failed');
    expect(refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          callId: hostileCall,
          executionId: victim,
          tenant: 'sales',
          error: 'refused: tenant-not-allowed',
        }),
        expect.objectContaining({ callId: defaultTenantCall, error: 'refused: tenant-not-allowed' }),
      ]),
    );
  });

  it('keeps the default webhook URL to KESTRA_TENANT unless KESTRA_ALLOWED_TENANTS says more', async () => {
    const { stream } = logLines();
    const app = await buildWithAdmin({}, stream);
    const kestra = push.kestra();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { tenant: 'sales', paused: true });
    const callId = uniqueCallId('default-source');
    await postWebhook(app, report(callId, { kestraExecutionId: executionId, kestraTenant: 'sales' }));
    expect(await settledPush(app, callId)).toMatchObject({
      state: 'failed',
      lastError: 'refused: tenant-not-allowed',
    });
    expect(kestra.requestsFor(executionId)).toEqual([]);
  });
});

describe('an execution id or tenant that is not of Kestra’s form', () => {
  it.each([
    ['a parent segment', '..'],
    ['a path', '../../api/v1/main/flows'],
    ['a slash', 'abc/def'],
    ['an encoded parent segment', '%2e%2e'],
    ['an encoded slash', 'abc%2Fdef'],
    ['a dot', 'abc.def'],
    ['a query', 'abc?x=1'],
  ])('is never sent: %s (%s)', async (_label, executionId) => {
    const { lines, stream } = logLines();
    const app = await buildWithAdmin({}, stream);
    const kestra = push.kestra();
    const before = kestra.requests.length;
    const callId = uniqueCallId('bad-id');
    expect((await postWebhook(app, report(callId, { kestraExecutionId: executionId }))).statusCode).toBe(200);
    expect(await settledPush(app, callId)).toMatchObject({
      executionId,
      state: 'failed',
      lastStatus: null,
      lastError: 'refused: invalid-execution-id',
    });
    // Nothing reached Kestra at any URL, not only at the one the id was meant for.
    expect(kestra.requests.length).toBe(before);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'kestra push failed', callId, error: 'refused: invalid-execution-id' }),
    );
  });

  it('is never sent for a tenant with a path in it, even one listed nowhere', async () => {
    const { stream } = logLines();
    const app = await buildWithAdmin({}, stream);
    const kestra = push.kestra();
    const before = kestra.requests.length;
    const callId = uniqueCallId('bad-tenant');
    await postWebhook(
      app,
      report(callId, { kestraExecutionId: uniqueExecutionId(), kestraTenant: '../main' }),
    );
    expect((await settledPush(app, callId)).lastError).toBe('refused: invalid-tenant');
    expect(kestra.requests.length).toBe(before);
  });
});
