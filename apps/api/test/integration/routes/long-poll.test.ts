import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// The periodic check is pushed out of reach so that only a webhook on this instance can wake a waiter.
let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({ LONG_POLL_CHECK_INTERVAL_MS: '60000' });
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const waitFor = (target: TestApp, callId: string, wait: number | string) =>
  target.inject({ method: 'GET', url: `/api/v1/vapi/calls/${callId}?wait=${wait}`, headers: auth });

describe('GET /api/v1/vapi/calls/:callId?wait=', () => {
  it('answers as soon as this instance stores the end-of-call report', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    const started = Date.now();
    const pending = waitFor(app, callId, 30);
    setTimeout(() => void postWebhook(app, vapiFixture('end-of-call-report', callId)), 300);
    const response = await pending;
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ callId, finalReason: 'end-of-call-report' });
    // Woken by the webhook: nothing else could have ended a 30 s wait early here.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('keeps waiting through status updates that do not make the result final', async () => {
    const callId = uniqueCallId();
    const pending = waitFor(app, callId, 30);
    setTimeout(() => void postWebhook(app, vapiFixture('status-update-in-progress', callId)), 100);
    setTimeout(() => void postWebhook(app, vapiFixture('end-of-call-report', callId)), 400);
    expect((await pending).statusCode).toBe(200);
  });

  it('answers at once when the result is already final', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, vapiFixture('end-of-call-report', callId));
    expect((await waitFor(app, callId, 60)).statusCode).toBe(200);
    expect(app.resultWaiters.size).toBe(0);
  });

  it('answers 404 with the current status when the wait runs out', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    const response = await waitFor(app, callId, 1);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ known: true, callStatus: 'in-progress' });
    expect(app.resultWaiters.size).toBe(0);
  });

  it.each(['61', '-1', 'soon', '1.5'])('answers 400 to wait=%s', async (wait) => {
    const response = await waitFor(app, uniqueCallId(), wait);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      success: false,
      error: 'Bad Request',
      message: expect.stringContaining('wait'),
    });
  });

  it('sees a result stored by another instance sharing the database', async () => {
    const waiting = await buildTestApp({ LONG_POLL_CHECK_INTERVAL_MS: '200' });
    const other = await buildTestApp();
    try {
      const callId = uniqueCallId();
      const pending = waitFor(waiting, callId, 30);
      setTimeout(() => void postWebhook(other, vapiFixture('end-of-call-report', callId)), 300);
      const response = await pending;
      expect(response.statusCode).toBe(200);
    } finally {
      await waiting.close();
      await other.close();
    }
  });

  it('stops waiting for a client that hangs up', async () => {
    const listening = await buildTestApp();
    try {
      const address = await listening.listen({ host: '127.0.0.1', port: 0 });
      const hangUp = new AbortController();
      const request = fetch(`${address}/api/v1/vapi/calls/${uniqueCallId()}?wait=60`, {
        headers: auth,
        signal: hangUp.signal,
      }).catch((error: Error) => error.name);
      await expect.poll(() => listening.resultWaiters.size).toBe(1);
      hangUp.abort();
      expect(await request).toBe('AbortError');
      await expect.poll(() => listening.resultWaiters.size).toBe(0);
    } finally {
      await listening.close();
    }
  });

  it('releases waiters when the server shuts down', async () => {
    const closing = await buildTestApp();
    const pending = waitFor(closing, uniqueCallId(), 60);
    await expect.poll(() => closing.resultWaiters.size).toBe(1);
    await closing.close();
    const response = await pending;
    expect(response.statusCode).toBe(404);
  });
});
