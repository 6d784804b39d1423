import { type RunningCallbridge, startCallbridge, uniqueCallId, vapiFixture } from '@callbridge/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbridgeHttpError, CallbridgeTimeoutError, createCallbridgeClient } from '../src/index.ts';

let callbridge: RunningCallbridge;
beforeAll(async () => {
  callbridge = await startCallbridge();
});
afterAll(() => callbridge?.stop());

const client = () => createCallbridgeClient({ baseUrl: callbridge.url, apiKey: callbridge.apiKey });

/** Counts the HTTP requests a client makes, through the real fetch. */
function countingFetch() {
  const urls: string[] = [];
  const counted: typeof fetch = (input, init) => {
    urls.push(String(input));
    return fetch(input, init);
  };
  return { urls, fetch: counted };
}

describe('createCallbridgeClient', () => {
  it('reports a call that is not final yet, then its result', async () => {
    const callId = uniqueCallId();
    expect(await client().getCallResult(callId)).toEqual({
      final: false,
      notFound: expect.objectContaining({ known: false, callStatus: null }),
    });
    await callbridge.postWebhook(vapiFixture('end-of-call-report', callId));
    const lookup = await client().getCallResult(callId);
    expect(lookup.final && lookup.result).toMatchObject({ callId, outcome: 'completed', retryable: false });
  });

  it('waits for the result with one long poll of at most 55 s when the report comes while it waits', async () => {
    const callId = uniqueCallId();
    const counter = countingFetch();
    const waiting = createCallbridgeClient({
      baseUrl: callbridge.url,
      apiKey: callbridge.apiKey,
      fetch: counter.fetch,
    });
    setTimeout(() => void callbridge.postWebhook(vapiFixture('end-of-call-report', callId)), 300);
    const result = await waiting.waitForCallResult(callId, { timeoutMs: 10 * 60_000 });
    expect(result).toMatchObject({ callId, finalReason: 'end-of-call-report' });
    // 55 s at most, below the 60 s idle timeout of common load balancers.
    expect(counter.urls).toEqual([`${callbridge.url}/api/v1/vapi/calls/${callId}?wait=55`]);
  });

  it('gives up with the last known status when the result is not final in time', async () => {
    const callId = uniqueCallId();
    await callbridge.postWebhook(vapiFixture('status-update-in-progress', callId));
    const error = await client()
      .waitForCallResult(callId, { timeoutMs: 1500 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallbridgeTimeoutError);
    expect(error).toMatchObject({ callId, lastStatus: 'in-progress' });
  });

  it('stops when its signal is aborted', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('workflow cancelled')), 200);
    await expect(
      client().waitForCallResult(uniqueCallId(), { timeoutMs: 30_000, signal: abort.signal }),
    ).rejects.toThrow('workflow cancelled');
  });

  it('retries through an outage with backoff and returns once Callbridge can answer again', async () => {
    const callId = uniqueCallId();
    await callbridge.postWebhook(vapiFixture('end-of-call-report', callId));
    const counter = countingFetch();
    const retrying = createCallbridgeClient({
      baseUrl: callbridge.url,
      apiKey: callbridge.apiKey,
      fetch: counter.fetch,
      retry: { baseDelayMs: 100, maxDelayMs: 400 },
    });
    await callbridge.stack.stopRest();
    setTimeout(() => void callbridge.stack.startRest(), 1500);
    const result = await retrying.waitForCallResult(callId, { timeoutMs: 20_000 });
    expect(result.callId).toBe(callId);
    expect(counter.urls.length).toBeGreaterThan(1);
  });

  it('does not retry a wrong API key', async () => {
    const counter = countingFetch();
    const wrongKey = createCallbridgeClient({
      baseUrl: callbridge.url,
      apiKey: 'not-the-key-0000000',
      fetch: counter.fetch,
    });
    const error = await wrongKey.getCallResult('any').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallbridgeHttpError);
    expect(error).toMatchObject({ status: 401 });
    expect(counter.urls).toHaveLength(1);
  });

  it('pages through a customer’s calls', async () => {
    const number = `+1415555${String(Math.floor(1000 + Math.random() * 8999))}`;
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const callId = uniqueCallId();
      const payload = vapiFixture('status-update-in-progress', callId);
      (payload.message as { customer: { number: string } }).customer.number = number;
      await callbridge.postWebhook(payload);
      ids.unshift(callId);
    }
    const first = await client().getCallsByPhone(number, { limit: 2 });
    const second = await client().getCallsByPhone(number, { limit: 2, cursor: first.page.nextCursor ?? '' });
    expect([...first.data, ...second.data].map((call) => call.callId)).toEqual(ids);
    expect(second.page.nextCursor).toBeNull();
  });
});
