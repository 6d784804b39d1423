import type { CallListItem } from '@callbridge/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({ SIMULATOR_ENABLED: 'true', CALL_STREAM_POLL_INTERVAL_MS: '200' });
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${TEST_API_KEY}` };

/** A number no other test uses, so a phone filter isolates this test's calls in the shared database. */
function uniquePhone(): string {
  return `+1202${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

async function postCall(callId: string, phone: string, endedReason?: string) {
  const payload = vapiFixture(endedReason ? 'end-of-call-report' : 'status-update-in-progress', callId);
  const message = payload.message as { customer: { number: string }; call: { customer: { number: string } } };
  message.customer.number = phone;
  message.call.customer.number = phone;
  if (endedReason) (message as unknown as { endedReason: string }).endedReason = endedReason;
  const response = await postWebhook(app, payload);
  expect(response.statusCode).toBe(200);
}

function listCalls(query: string) {
  return app.inject({ method: 'GET', url: `/api/v1/vapi/calls?${query}`, headers: auth });
}

describe('GET /api/v1/vapi/calls', () => {
  it('lists calls newest first and pages through them with the returned cursor', async () => {
    const phone = uniquePhone();
    const ids = [uniqueCallId('list-a'), uniqueCallId('list-b'), uniqueCallId('list-c')];
    for (const id of ids) await postCall(id, phone);

    const first = await listCalls(`phone=${encodeURIComponent(phone)}&limit=2`);
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.data.map((call: CallListItem) => call.callId)).toEqual([ids[2], ids[1]]);
    expect(page.data[0]).toMatchObject({
      status: 'in-progress',
      final: false,
      outcome: null,
      customerNumber: phone,
    });
    expect(page.page.nextCursor).toEqual(expect.any(String));

    const second = await listCalls(
      `phone=${encodeURIComponent(phone)}&limit=2&cursor=${page.page.nextCursor}`,
    );
    expect(second.json().data.map((call: CallListItem) => call.callId)).toEqual([ids[0]]);
    expect(second.json().page.nextCursor).toBeNull();
  });

  it('filters by outcome with the same classification as the result, and by status', async () => {
    const phone = uniquePhone();
    const byOutcome = {
      busy: uniqueCallId('list-busy'),
      completed: uniqueCallId('list-done'),
      // Reached the customer; the transfer target was busy.
      forwarded: uniqueCallId('list-forwarded'),
      'no-answer': uniqueCallId('list-sip-480'),
      voicemail: uniqueCallId('list-voicemail'),
      canceled: uniqueCallId('list-canceled'),
      failed: uniqueCallId('list-failed'),
      unknown: uniqueCallId('list-unknown'),
    };
    const running = uniqueCallId('list-running');
    await postCall(byOutcome.busy, phone, 'customer-busy');
    await postCall(byOutcome.completed, phone, 'customer-ended-call');
    await postCall(byOutcome.forwarded, phone, 'call.forwarding.operator-busy');
    await postCall(
      byOutcome['no-answer'],
      phone,
      'call.in-progress.error-providerfault-outbound-sip-480-temporarily-unavailable',
    );
    await postCall(byOutcome.voicemail, phone, 'voicemail');
    await postCall(byOutcome.canceled, phone, 'manually-canceled');
    await postCall(byOutcome.failed, phone, 'pipeline-error-eleven-labs-system-busy-and-requested-upgrade');
    await postCall(byOutcome.unknown, phone, 'call.in-progress.error-vapifault-a-reason-vapi-adds-later');
    await postCall(running, phone);
    const list = async (query: string) =>
      (await listCalls(`phone=${encodeURIComponent(phone)}&${query}`)).json().data as CallListItem[];
    const ids = async (query: string) => (await list(query)).map((c) => c.callId);

    expect(await ids('outcome=busy')).toEqual([byOutcome.busy]);
    expect(await ids('outcome=completed')).toEqual([byOutcome.forwarded, byOutcome.completed]);
    expect(await ids('outcome=no-answer')).toEqual([byOutcome['no-answer']]);
    expect(await ids('outcome=voicemail')).toEqual([byOutcome.voicemail]);
    expect(await ids('outcome=canceled')).toEqual([byOutcome.canceled]);
    // An ended reason the table does not know is failed, in the list as in the result.
    expect(await ids('outcome=failed')).toEqual([byOutcome.unknown, byOutcome.failed]);
    expect(await ids('status=in-progress')).toEqual([running]);
    expect(await ids('status=ended')).toHaveLength(8);
    const outcomes = Object.fromEntries(
      (await list('status=ended')).map((c) => [c.callId, [c.outcome, c.fault]]),
    );
    expect(outcomes).toEqual({
      [byOutcome.busy]: ['busy', 'customer'],
      [byOutcome.completed]: ['completed', 'none'],
      [byOutcome.forwarded]: ['completed', 'none'],
      [byOutcome['no-answer']]: ['no-answer', 'customer'],
      [byOutcome.voicemail]: ['voicemail', 'customer'],
      [byOutcome.canceled]: ['canceled', 'none'],
      [byOutcome.failed]: ['failed', 'provider'],
      [byOutcome.unknown]: ['failed', null],
    });
  });

  it('answers 400 for an outcome that is not one', async () => {
    expect((await listCalls('outcome=cancelled')).statusCode).toBe(400);
    expect((await listCalls('outcome=failed)')).statusCode).toBe(400);
  });

  it('keeps the outcome filter when paging', async () => {
    const phone = uniquePhone();
    const busy = [uniqueCallId('page-busy-1'), uniqueCallId('page-busy-2')];
    await postCall(busy[0] as string, phone, 'customer-busy');
    await postCall(uniqueCallId('page-done'), phone, 'customer-ended-call');
    await postCall(busy[1] as string, phone, 'customer-busy');
    const first = (await listCalls(`phone=${encodeURIComponent(phone)}&outcome=busy&limit=1`)).json();
    const second = (
      await listCalls(
        `phone=${encodeURIComponent(phone)}&outcome=busy&limit=1&cursor=${first.page.nextCursor}`,
      )
    ).json();
    expect([...first.data, ...second.data].map((c: CallListItem) => c.callId)).toEqual([busy[1], busy[0]]);
  });

  it('answers 400 for a cursor it did not issue, a number that is not one, and an inverted range', async () => {
    expect((await listCalls('cursor=bm9wZQ')).statusCode).toBe(400);
    expect((await listCalls('phone=hello')).statusCode).toBe(400);
    expect((await listCalls('since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z')).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/vapi/calls' })).statusCode).toBe(401);
  });
});

describe('GET /api/v1/vapi/calls/stream', () => {
  it('sends a call event when a webhook is stored, without the client asking again', async () => {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    const response = await fetch(`${url}/api/v1/vapi/calls/stream`, {
      headers: auth,
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}:\n${text}`);
        text += value;
      }
    };
    await readUntil('event: ready');

    const callId = uniqueCallId('stream');
    await postCall(callId, uniquePhone());
    await readUntil(callId);
    const event = text.split('\n\n').find((block) => block.includes(callId)) ?? '';
    expect(event).toMatch(/^event: call\n/m);
    const data = JSON.parse(event.split('data: ')[1] ?? '{}');
    expect(data).toMatchObject({ callId, status: 'in-progress', lastEventType: 'status-update' });
    controller.abort();
  });

  it('ends open streams when the server closes, so shutdown is not held up', async () => {
    const own = await buildTestApp();
    const url = await own.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${url}/api/v1/vapi/calls/stream`, { headers: auth });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await own.close();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });

  it('refuses a request without an API key', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/vapi/calls/stream' });
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /api/v1/dev/simulate-call', () => {
  it('plays a signed call through the webhook until its result is final', async () => {
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/simulate-call?pace=0',
      headers: auth,
    });
    expect(started.statusCode).toBe(202);
    const { callId, deliveries } = started.json().data;
    expect(deliveries).toBeGreaterThan(10);

    const result = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/calls/${callId}?wait=20`,
      headers: auth,
    });
    expect(result.statusCode).toBe(200);
    expect(result.json().data).toMatchObject({
      callId,
      outcome: 'completed',
      recordingUrl: expect.stringContaining(callId),
      summary: expect.any(String),
      costBreakdown: expect.objectContaining({ total: expect.any(Number) }),
    });
    const events = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/events?callId=${callId}`,
      headers: auth,
    });
    const types = events.json().data.map((event: { type: string }) => event.type);
    expect(types).toContain('end-of-call-report');
    expect(types.filter((type: string) => type === 'status-update')).toHaveLength(4);
  });

  it('does not exist unless SIMULATOR_ENABLED is set', async () => {
    const plain = await buildTestApp();
    try {
      const response = await plain.inject({
        method: 'POST',
        url: '/api/v1/dev/simulate-call',
        headers: auth,
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
