import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, queryDb } from '../../support/database.ts';
import { buildTestApp, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${TEST_API_KEY}` };

function listEvents(query: Record<string, string | number>) {
  const search = new URLSearchParams(
    Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
  );
  return app.inject({ method: 'GET', url: `/api/v1/vapi/events?${search}`, headers: auth });
}

interface ListedEvent {
  id: number;
  callId: string | null;
  type: string;
  outcome: string;
  receivedAt: string;
  payload?: unknown;
  sanitized?: unknown;
}

async function listed(query: Record<string, string | number>): Promise<ListedEvent[]> {
  const response = await listEvents(query);
  expect(response.statusCode).toBe(200);
  return response.json().data;
}

/** A call with an in-progress update, an unknown type and an end-of-call report, in that order. */
async function callWithThreeDeliveries() {
  const callId = uniqueCallId('log');
  for (const fixture of ['status-update-in-progress', 'future-type', 'end-of-call-report']) {
    expect((await postWebhook(app, vapiFixture(fixture, callId))).statusCode).toBe(200);
  }
  const ids = (await callEvents(callId)).map((row) => Number(row.id));
  return { callId, ids };
}

describe('GET /api/v1/vapi/events (the delivery log)', () => {
  it('lists a call’s deliveries newest first, without payloads', async () => {
    const { callId, ids } = await callWithThreeDeliveries();
    const response = await listEvents({ callId });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.page).toEqual({ limit: 50, nextCursor: null });
    expect(body.data.map((event: ListedEvent) => event.id)).toEqual([...ids].reverse());
    expect(body.data[0]).toEqual({
      id: ids[2],
      deliveryId: expect.any(String),
      callId,
      type: 'end-of-call-report',
      outcome: 'stored',
      errorCode: null,
      receivedAt: expect.stringMatching(/Z$/),
      eventAt: new Date(1763805940000).toISOString(),
      payloadBytes: expect.any(Number),
      relay: null,
      replayOf: null,
      sourceId: null,
    });
    expect(body.data.every((event: ListedEvent) => !('payload' in event) && !('sanitized' in event))).toBe(
      true,
    );
  });

  it('filters by type, outcome and time received', async () => {
    const { callId, ids } = await callWithThreeDeliveries();
    expect((await listed({ callId, type: 'call.sentiment-shift' })).map((event) => event.id)).toEqual([
      ids[1],
    ]);
    expect(await listed({ callId, type: 'hang' })).toEqual([]);
    expect(await listed({ callId, outcome: 'failed' })).toEqual([]);
    expect((await listed({ callId, outcome: 'stored' })).map((event) => event.id)).toEqual(
      [...ids].reverse(),
    );

    const [, second] = await queryDb<{ received_at: Date }>(
      'select received_at from vapi_webhook_events where call_id = $1 order by id',
      [callId],
    );
    const at = second?.received_at.toISOString() ?? '';
    const fromSecond = await listed({ callId, since: at });
    expect(fromSecond.every((event) => event.receivedAt >= at)).toBe(true);
    expect(fromSecond.map((event) => event.id)).toContain(ids[1]);
    const beforeSecond = await listed({ callId, until: at });
    expect(beforeSecond.every((event) => event.receivedAt < at)).toBe(true);
    expect(beforeSecond.map((event) => event.id)).not.toContain(ids[1]);
    expect([...fromSecond, ...beforeSecond].map((event) => event.id).sort()).toEqual([...ids].sort());
  });

  it('pages by cursor without repeats or gaps while new deliveries arrive', async () => {
    const callId = uniqueCallId('paging');
    for (let turn = 0; turn < 5; turn += 1) await postWebhook(app, vapiFixture('speech-update', callId));
    const before = (await callEvents(callId)).map((row) => Number(row.id)).reverse();

    const first = (await listEvents({ callId, limit: 2 })).json();
    expect(first.data.map((event: ListedEvent) => event.id)).toEqual(before.slice(0, 2));
    expect(first.page.nextCursor).toEqual(expect.any(String));

    // Arrivals after the first page must neither appear in later pages nor shift them.
    await postWebhook(app, vapiFixture('speech-update', callId));
    await postWebhook(app, vapiFixture('speech-update', callId));

    const seen: number[] = first.data.map((event: ListedEvent) => event.id);
    let cursor: string | null = first.page.nextCursor;
    while (cursor) {
      const page = (await listEvents({ callId, limit: 2, cursor })).json();
      seen.push(...page.data.map((event: ListedEvent) => event.id));
      cursor = page.page.nextCursor;
    }
    expect(seen).toEqual(before);
    expect(await listed({ callId })).toHaveLength(7);
  });

  it('includes payloads only with include=payload, credentials redacted', async () => {
    const { callId } = await callWithThreeDeliveries();
    const events = await listed({ callId, include: 'payload', type: 'status-update' });
    expect(events).toHaveLength(1);
    expect(events[0]?.sanitized).toBeNull();
    const payload = events[0]?.payload as { message: { type: string; phoneNumber: Record<string, unknown> } };
    expect(payload.message.type).toBe('status-update');
    expect(payload.message.phoneNumber.twilioAuthToken).toBe('[redacted]');
  });
});

describe('GET /api/v1/vapi/events/:eventId', () => {
  it('answers one delivery with its redacted payload and what was sanitized', async () => {
    const callId = uniqueCallId('detail');
    const payload = vapiFixture('status-update-in-progress', callId);
    (payload.message as Record<string, unknown>).status = 'in-\u0000progress';
    await postWebhook(app, payload);
    const [row] = await callEvents(callId);

    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/events/${row?.id}`,
      headers: auth,
    });
    expect(response.statusCode).toBe(200);
    const { data } = response.json();
    expect(data).toMatchObject({ id: Number(row?.id), callId, type: 'status-update', outcome: 'stored' });
    expect(data.payload.message.status).toBe('in-progress');
    expect(JSON.stringify(data.payload)).not.toContain('twilio-auth-token-should-never-be-stored');
    expect(data.sanitized).toEqual({
      changes: [{ path: '$.message.status', reason: 'nul-removed' }],
      more: 0,
    });
  });

  it('answers 404 in the one error shape for an event that is not logged', async () => {
    const [{ max }] = (await queryDb<{ max: string }>(
      'select max(id) + 1000000 as max from vapi_webhook_events',
    )) as [{ max: string }];
    const response = await app.inject({ method: 'GET', url: `/api/v1/vapi/events/${max}`, headers: auth });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      success: false,
      error: 'Not Found',
      message: `No delivery ${max} is logged`,
    });
  });
});

describe('delivery log: every client mistake is a 4xx in the one error shape', () => {
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    '/api/v1/vapi/events?limit=0',
    '/api/v1/vapi/events?limit=251',
    '/api/v1/vapi/events?limit=ten',
    '/api/v1/vapi/events?outcome=lost',
    '/api/v1/vapi/events?since=yesterday',
    '/api/v1/vapi/events?since=2026-11-23T10:00:00Z&until=2026-11-23T09:00:00Z',
    '/api/v1/vapi/events?include=everything',
    '/api/v1/vapi/events?callId=a%00b',
    '/api/v1/vapi/events?cursor=not-a-cursor',
    `/api/v1/vapi/events?cursor=${cursorOf({ before: -1 })}`,
    `/api/v1/vapi/events?cursor=${cursorOf({ createdAt: '2026-11-23T10:00:00Z', callId: 'c' })}`,
    '/api/v1/vapi/events/abc',
    '/api/v1/vapi/events/0',
    '/api/v1/vapi/events/99999999999999999999',
  ])('GET %s is a 400', async (url) => {
    const response = await app.inject({ method: 'GET', url, headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ success: false, error: 'Bad Request', message: expect.any(String) });
  });

  it.each(['/api/v1/vapi/events', '/api/v1/vapi/events/1'])(
    'GET %s without an API key is a 401',
    async (url) => {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ success: false, error: 'Unauthorized', message: expect.any(String) });
    },
  );
});
