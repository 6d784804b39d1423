import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, callRow, queryDb } from '../../support/database.ts';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const REPLAY_CAP = 3;

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({ REPLAY_MAX_EVENTS: String(REPLAY_CAP) });
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${TEST_API_KEY}` };

/** Logs a delivery as the store records one Postgres refused: outcome `failed`, nothing merged. */
async function insertFailedEvent(
  callId: string,
  payload: unknown,
  receivedAt = new Date(),
  outcome = 'failed',
): Promise<number> {
  const [row] = await queryDb<{ id: string }>(
    `insert into vapi_webhook_events
       (delivery_id, call_id, event_type, received_at, payload_bytes, outcome, error_code, payload)
     values (gen_random_uuid(), $1, 'end-of-call-report', $2, $3, $4, $5, $6)
     returning id`,
    [
      callId,
      receivedAt,
      JSON.stringify(payload ?? null).length,
      outcome,
      outcome === 'failed' ? 'database-rejected:22P05' : null,
      payload === null ? null : JSON.stringify(payload),
    ],
  );
  return Number(row?.id);
}

function replayOne(eventId: number | string) {
  return app.inject({ method: 'POST', url: `/api/v1/vapi/events/${eventId}/replay`, headers: auth });
}

function replayRange(body: unknown) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/vapi/events/replay',
    headers: auth,
    payload: body as object,
  });
}

const withoutUpdatedAt = (row: Record<string, unknown> | undefined) => {
  const { updated_at: _updatedAt, ...rest } = row ?? {};
  return rest;
};

describe('POST /api/v1/vapi/events/:eventId/replay', () => {
  it('merges a delivery recorded as failed into its call, and logs the replay as a new event', async () => {
    const callId = uniqueCallId('replay-failed');
    const failedId = await insertFailedEvent(callId, vapiFixture('end-of-call-report', callId));
    expect(await callRow(callId)).toBeUndefined();
    expect((await getCall(app, callId)).statusCode).toBe(404);

    const response = await replayOne(failedId);
    expect(response.statusCode).toBe(200);
    const { data } = response.json();
    expect(data).toEqual({
      replayOf: failedId,
      eventId: expect.any(Number),
      callId,
      type: 'end-of-call-report',
      outcome: 'stored',
      errorCode: null,
    });

    const call = await getCall(app, callId);
    expect(call.statusCode).toBe(200);
    expect(call.json().data).toMatchObject({ callId, status: 'ended', endedReason: 'customer-ended-call' });

    const events = await callEvents(callId);
    expect(events.map((event) => [Number(event.id), event.outcome, event.replay_of])).toEqual([
      [failedId, 'failed', null],
      [data.eventId, 'stored', String(failedId)],
    ]);
    const logged = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/events/${data.eventId}`,
      headers: auth,
    });
    expect(logged.json().data).toMatchObject({ replayOf: failedId, outcome: 'stored' });
  });

  it('merges each delivery once: a second replay of a merged delivery is refused (409) and adds no row', async () => {
    const callId = uniqueCallId('replay-idempotent');
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    await postWebhook(app, vapiFixture('end-of-call-report', callId));
    await postWebhook(app, vapiFixture('status-update-ended', callId));
    const before = withoutUpdatedAt(await callRow(callId));
    const ids = (await callEvents(callId)).map((event) => Number(event.id));

    const replayIds: number[] = [];
    for (const id of ids) {
      const response = await replayOne(id);
      expect(response.statusCode).toBe(200);
      expect(response.json().data.outcome).toBe('stored');
      replayIds.push(response.json().data.eventId);
    }
    for (const [index, id] of ids.entries()) {
      const again = await replayOne(id);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toEqual({
        success: false,
        error: 'Conflict',
        message: `Delivery ${id} was already replayed and merged as event ${replayIds[index]}; replaying it again would change nothing`,
      });
    }
    expect(withoutUpdatedAt(await callRow(callId))).toEqual(before);
    expect(await callEvents(callId)).toHaveLength(ids.length * 2);
  });

  it('tries a delivery that does not merge at most 3 times, then answers 409', async () => {
    // A shape this version does not know is acknowledged, not merged: a later version may merge it.
    const callId = uniqueCallId('replay-attempts');
    const eventId = await insertFailedEvent(callId, { message: { kind: 'not-a-vapi-shape' } });
    const replays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await replayOne(eventId);
      expect(response.statusCode).toBe(200);
      expect(response.json().data.outcome).toBe('acknowledged');
      replays.push(response.json().data.eventId);
    }
    const fourth = await replayOne(eventId);
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().message).toBe(
      `Delivery ${eventId} was already replayed 3 times (last as event ${replays[2]})`,
    );
    expect(await queryDb('select 1 from vapi_webhook_events where replay_of = $1', [eventId])).toHaveLength(
      3,
    );
  });

  it('answers 409 for an event with no stored payload, 404 for one not logged', async () => {
    const noPayload = await insertFailedEvent(uniqueCallId('replay-empty'), null);
    const conflict = await replayOne(noPayload);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({
      success: false,
      error: 'Conflict',
      message: `Delivery ${noPayload} has no stored payload to replay`,
    });

    const missing = await replayOne(noPayload + 1_000_000);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ success: false, error: 'Not Found', message: expect.any(String) });
  });

  it.each(['abc', '0', '-1'])('answers 400 for the event id %s', async (id) => {
    const response = await replayOne(id);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ success: false, error: 'Bad Request', message: expect.any(String) });
  });

  it('needs an API key', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/vapi/events/1/replay' });
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /api/v1/vapi/events/replay (a range)', () => {
  /** A window in the past no other test writes into. */
  function pastWindow() {
    const start = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e11);
    return { at: (seconds: number) => new Date(start + seconds * 1000), since: new Date(start - 1000) };
  }

  it(`replays at most REPLAY_MAX_EVENTS (${REPLAY_CAP}) per request, oldest first, and says where to continue`, async () => {
    const window = pastWindow();
    const callIds = [1, 2, 3, 4, 5].map((n) => uniqueCallId(`range-${n}`));
    for (const [index, callId] of callIds.entries()) {
      await insertFailedEvent(callId, vapiFixture('end-of-call-report', callId), window.at(index));
    }
    await insertFailedEvent(uniqueCallId('range-empty'), null, window.at(10));
    const storedCall = uniqueCallId('range-stored');
    await insertFailedEvent(
      storedCall,
      vapiFixture('end-of-call-report', storedCall),
      window.at(11),
      'stored',
    );
    const until = window.at(60).toISOString();

    const first = await replayRange({ since: window.since.toISOString(), until, outcome: 'failed' });
    expect(first.statusCode).toBe(200);
    const firstPage = first.json().data;
    expect(firstPage).toEqual({
      replayed: 3,
      withoutPayload: 0,
      alreadyReplayed: 0,
      more: true,
      nextSince: expect.any(String),
    });
    expect(Date.parse(firstPage.nextSince)).toBe(window.at(3).getTime());
    expect(await Promise.all(callIds.map(async (callId) => (await callRow(callId)) !== undefined))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);

    const second = await replayRange({ since: firstPage.nextSince, until, outcome: 'failed' });
    expect(second.json().data).toEqual({
      replayed: 2,
      withoutPayload: 1,
      alreadyReplayed: 0,
      more: false,
      nextSince: null,
    });
    for (const callId of callIds) {
      expect((await getCall(app, callId)).statusCode).toBe(200);
      expect((await callEvents(callId)).map((event) => event.outcome)).toEqual(['failed', 'stored']);
    }
    // Outcome filter: the delivery logged as stored was not replayed.
    expect(await callEvents(storedCall)).toHaveLength(1);
  });

  it('adds nothing when the same range is replayed again: the events and the call rows stay as they were', async () => {
    const window = pastWindow();
    const callIds = [1, 2].map((n) => uniqueCallId(`range-twice-${n}`));
    for (const [index, callId] of callIds.entries()) {
      await insertFailedEvent(callId, vapiFixture('end-of-call-report', callId), window.at(index));
    }
    const range = { since: window.since.toISOString(), until: window.at(60).toISOString() };
    const inWindow = async () =>
      Number(
        (
          await queryDb<{ n: string }>(
            'select count(*) as n from vapi_webhook_events where call_id = any($1)',
            [callIds],
          )
        )[0]?.n,
      );

    const first = await replayRange(range);
    expect(first.json().data).toMatchObject({ replayed: 2, alreadyReplayed: 0, more: false });
    expect(await inWindow()).toBe(4);
    const rows = await Promise.all(callIds.map(async (callId) => withoutUpdatedAt(await callRow(callId))));

    for (let round = 0; round < 2; round++) {
      const again = await replayRange(range);
      expect(again.statusCode).toBe(200);
      expect(again.json().data).toEqual({
        replayed: 0,
        withoutPayload: 0,
        alreadyReplayed: 2,
        more: false,
        nextSince: null,
      });
    }
    expect(await inWindow()).toBe(4);
    expect(await Promise.all(callIds.map(async (callId) => withoutUpdatedAt(await callRow(callId))))).toEqual(
      rows,
    );
  });

  it.each([
    ['since after until', { since: '2026-11-23T10:00:00Z', until: '2026-11-23T09:00:00Z' }],
    ['no until', { since: '2026-11-23T10:00:00Z' }],
    ['a date that is not one', { since: 'yesterday', until: '2026-11-23T09:00:00Z' }],
    ['an unknown outcome', { since: '2026-11-23T08:00:00Z', until: '2026-11-23T09:00:00Z', outcome: 'lost' }],
    ['an unknown field', { since: '2026-11-23T08:00:00Z', until: '2026-11-23T09:00:00Z', type: 'hang' }],
  ])('answers 400 for %s', async (_label, body) => {
    const response = await replayRange(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ success: false, error: 'Bad Request', message: expect.any(String) });
  });
});
