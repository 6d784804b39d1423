import { Writable } from 'node:stream';
import { KESTRA_TEST_AUTH } from '@callbridge/kestra-client/testing';
import { describe, expect, it } from 'vitest';
import {
  endedWithoutReport,
  forExecution,
  uniqueExecutionId,
  usePushStack,
} from '../../support/push-stack.ts';
import { getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const push = usePushStack();

const report = (callId: string, executionId: string, extra: Record<string, unknown> = {}) =>
  forExecution(vapiFixture('end-of-call-report', callId), { kestraExecutionId: executionId, ...extra });

async function outboxRows(callId: string) {
  return push.query('select * from kestra_push_outbox where call_id = $1', [callId]);
}

async function pushState(app: TestApp, callId: string) {
  return (await getCall(app, callId)).json().kestraPush;
}

describe('push to Kestra', () => {
  it('resumes the execution named in the metadata within a second of the report, with GET’s data as `result`', async () => {
    const app = await push.buildApp({ KESTRA_PUSH_POLL_INTERVAL_MS: '60000' });
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { paused: true });

    await postWebhook(app, forExecution(vapiFixture('status-update-in-progress', callId), {}));
    const stored = await postWebhook(app, report(callId, executionId));
    const storedAt = Date.now();
    expect(stored.statusCode).toBe(200);

    const resume = await kestra.waitForResume(executionId, 5000);
    // Only the webhook's nudge can have sent it this fast: the poll is a minute away.
    expect(resume.receivedAt - storedAt).toBeLessThan(1000);
    expect(resume.tenant).toBe('main');
    expect(Object.keys(resume.fields)).toEqual(['result']);

    await expect.poll(() => pushState(app, callId).then((state) => state?.state)).toBe('delivered');
    const response = (await getCall(app, callId)).json();
    expect(resume.result).toEqual(response.data);
    expect(response.kestraPush).toEqual({
      executionId,
      tenant: 'main',
      state: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: expect.any(String),
    });
  });

  it('retries 5xx and 409 with backoff until Kestra resumes the execution', async () => {
    const app = await push.buildApp();
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId);
    kestra.failNext(2, 503);

    await postWebhook(app, report(callId, executionId));
    // The outbox row, not the stand-in's log: the worker records a 409 only after Kestra answered it.
    await expect.poll(() => pushState(app, callId).then((state) => state?.lastStatus)).toBe(409);
    const whilePending = await pushState(app, callId);
    expect(whilePending).toMatchObject({ state: 'pending', lastStatus: 409 });
    expect(whilePending.lastError).toContain('not paused');
    expect(whilePending.nextAttemptAt).toEqual(expect.any(String));

    kestra.pause(executionId);
    await kestra.waitForResume(executionId, 5000);
    const statuses = kestra.requestsFor(executionId).map((request) => request.status);
    expect(statuses.slice(0, 3)).toEqual([503, 503, 409]);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);

    await expect.poll(() => pushState(app, callId).then((state) => state?.state)).toBe('delivered');
    expect(await pushState(app, callId)).toMatchObject({ attempts: statuses.length, lastError: null });
  });

  it('gives up at once on an execution Kestra does not know (404), and says so', async () => {
    const app = await push.buildApp();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();

    await postWebhook(app, report(callId, executionId));
    await expect.poll(() => pushState(app, callId).then((state) => state?.state)).toBe('failed');
    expect(await pushState(app, callId)).toMatchObject({ attempts: 1, lastStatus: 404, nextAttemptAt: null });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(push.kestra().requestsFor(executionId)).toHaveLength(1);
  });

  it('stops retrying once the push is older than KESTRA_PUSH_MAX_AGE_SECONDS', async () => {
    const app = await push.buildApp({ KESTRA_PUSH_MAX_AGE_SECONDS: '1' });
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    push.kestra().createExecution(executionId);

    await postWebhook(app, report(callId, executionId));
    await expect
      .poll(() => pushState(app, callId).then((state) => state?.state), { timeout: 5000 })
      .toBe('expired');
    expect(await pushState(app, callId)).toMatchObject({ lastStatus: 409 });
  });

  it('pushes a call that ended without a report once the grace period has run out', async () => {
    const app = await push.buildApp({ RESULT_GRACE_PERIOD_SECONDS: '1' });
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { paused: true });

    const ended = endedWithoutReport(vapiFixture('status-update-ended', callId), new Date());
    await postWebhook(app, forExecution(ended, { kestraExecutionId: executionId }));
    expect(await outboxRows(callId)).toEqual([]);

    const resume = await kestra.waitForResume(executionId, 5000);
    expect(resume.result).toMatchObject({
      callId,
      finalReason: 'ended-without-report',
      outcome: 'no-answer',
      retryable: true,
    });
  });

  it('resumes the execution in the tenant the call names', async () => {
    const app = await push.buildApp({ KESTRA_ALLOWED_TENANTS: 'main,sales' });
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { tenant: 'sales', paused: true });

    await postWebhook(app, report(callId, executionId, { kestraTenant: 'sales' }));
    expect((await kestra.waitForResume(executionId, 5000)).tenant).toBe('sales');
    await expect.poll(() => pushState(app, callId).then((state) => state?.tenant)).toBe('sales');
  });

  it('resumes at Kestra 1’s route with KESTRA_MAJOR_VERSION=1', async () => {
    const app = await push.buildApp({ KESTRA_MAJOR_VERSION: '1' });
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { paused: true });

    await postWebhook(app, report(callId, executionId));
    expect(await kestra.waitForResume(executionId, 5000)).toMatchObject({ route: 1, status: 204 });
    await expect.poll(() => pushState(app, callId).then((state) => state?.lastStatus)).toBe(204);
  });

  it('enqueues one push per call: a repeated report changes nothing', async () => {
    const app = await push.buildApp();
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { paused: true });

    await postWebhook(app, report(callId, executionId));
    await kestra.waitForResume(executionId, 5000);
    await expect.poll(() => pushState(app, callId).then((state) => state?.state)).toBe('delivered');
    const [before] = await outboxRows(callId);
    await postWebhook(app, report(callId, executionId));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outboxRows(callId)).toEqual([before]);
    expect(kestra.requestsFor(executionId)).toHaveLength(1);
  });

  it('writes no outbox row for a call whose metadata names no Kestra execution', async () => {
    const app = await push.buildApp();
    const callId = uniqueCallId();
    await postWebhook(app, forExecution(vapiFixture('end-of-call-report', callId), { orderId: 'o-1' }));
    const blank = uniqueCallId();
    await postWebhook(
      app,
      forExecution(vapiFixture('end-of-call-report', blank), { kestraExecutionId: ' ' }),
    );

    expect(await outboxRows(callId)).toEqual([]);
    expect(await outboxRows(blank)).toEqual([]);
    expect(await pushState(app, callId)).toBeNull();
  });

  it('writes no outbox row when KESTRA_URL is not configured', async () => {
    const app = await push.buildAppWithoutPush({ RESULT_GRACE_PERIOD_SECONDS: '1' });
    const callId = uniqueCallId();
    await postWebhook(app, report(callId, uniqueExecutionId()));
    expect(app.kestraPush).toBeUndefined();
    expect(await outboxRows(callId)).toEqual([]);
    expect(await pushState(app, callId)).toBeNull();
  });

  it('deletes a call’s push with the call', async () => {
    const app = await push.buildApp();
    const callId = uniqueCallId();
    await postWebhook(app, report(callId, uniqueExecutionId()));
    expect(await outboxRows(callId)).toHaveLength(1);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/vapi/calls/${callId}`,
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(deleted.statusCode).toBe(200);
    expect(await outboxRows(callId)).toEqual([]);
  });

  it('logs each attempt with the call, execution, status and attempt, never the credentials', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = await push.buildApp({}, { level: 'info', stream });
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { paused: true });
    kestra.failNext(1, 502);

    await postWebhook(app, report(callId, executionId));
    await kestra.waitForResume(executionId, 5000);
    await expect.poll(() => lines.some((line) => line.includes('kestra push delivered'))).toBe(true);

    const entries = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.component === 'kestra-push');
    expect(entries).toEqual([
      expect.objectContaining({
        msg: 'kestra push not delivered; retrying',
        callId,
        executionId,
        attempt: 1,
        status: 502,
        state: 'pending',
      }),
      expect.objectContaining({ msg: 'kestra push delivered', callId, executionId, attempt: 2, status: 200 }),
    ]);
    const basic = Buffer.from(`${KESTRA_TEST_AUTH.username}:${KESTRA_TEST_AUTH.password}`).toString('base64');
    for (const secret of [KESTRA_TEST_AUTH.password, basic]) expect(lines.join('')).not.toContain(secret);
  });
});
