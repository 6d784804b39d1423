import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError, ServiceUnavailableError } from '../../../src/lib/http-errors.ts';
import type { EventRecord } from '../../../src/lib/prepare-vapi-delivery.ts';
import {
  type DeliverySpool,
  type Ingested,
  ingestDeliveries,
  type StorePolicy,
  storedOrThrow,
} from '../../../src/services/ingest-deliveries.ts';
import { type StoredEvent, StoreFailure } from '../../../src/services/store-vapi-events.ts';

// The retry, budget, deadline and spool policy around one store attempt. The attempt is a script here:
// what is tested is when the policy tries again and what it reports, not storage (the real store is
// covered against Postgres by test/integration/routes/webhook-*.test.ts and the spool tests).

const record: EventRecord = {
  deliveryId: 'delivery-1',
  sourceId: null,
  callId: 'call-1',
  eventType: 'end-of-call-report',
  eventAt: '2026-12-03T12:00:00.000Z',
  payloadBytes: 20,
  outcome: 'stored',
  errorCode: null,
  payload: { message: { type: 'end-of-call-report' } },
  sanitized: null,
  isReport: true,
  fields: { status: 'ended' },
};

const outage = () => new StoreFailure({ error: { message: 'upstream unavailable' }, status: 503 });
const refusal = () => new StoreFailure({ error: { message: 'bad request', code: 'PGRST100' }, status: 400 });

/** What ingest_vapi_deliveries answers for the events it was sent, with this event id. */
const committed = (events: EventRecord[], eventId: number): StoredEvent[] =>
  events.map((event) => ({
    deliveryId: event.deliveryId,
    eventId,
    outcome: event.outcome,
    errorCode: event.errorCode,
  }));

type Step = { afterMs: number } & ({ eventId: number } | { fails: () => Error } | { never: true });

/** A store attempt that plays `steps` in order, one per call, and records what it was sent. */
function scriptedAttempt(...steps: Step[]) {
  const calls: Array<{ events: EventRecord[]; timeoutMs: number; at: number }> = [];
  const attempt = (events: EventRecord[], timeoutMs: number) => {
    calls.push({ events, timeoutMs, at: performance.now() });
    const step = steps[calls.length - 1];
    if (!step) throw new Error(`unexpected attempt ${calls.length}`);
    return new Promise<StoredEvent[]>((resolve, reject) => {
      if ('never' in step) return;
      setTimeout(() => {
        if ('fails' in step) reject(step.fails());
        else resolve(committed(events, step.eventId));
      }, step.afterMs);
    });
  };
  return { attempt, calls };
}

const policy: StorePolicy = { budgetMs: 1000, attemptTimeoutMs: 400 };

/** Runs the store to its outcome on fake time. */
async function ingest(
  attempt: ReturnType<typeof scriptedAttempt>['attempt'],
  options: StorePolicy = policy,
): Promise<Ingested> {
  const ingesting = ingestDeliveries(attempt, [record], options);
  await vi.runAllTimersAsync();
  return ingesting;
}

beforeEach(() => {
  vi.useFakeTimers();
  // Backoff jitter at its low end: 100 ms, then 200, 400… (capped at 2 s and at what the budget has left).
  vi.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('ingestDeliveries', () => {
  it('stores on the first attempt: no retries, the time the attempt took', async () => {
    const store = scriptedAttempt({ afterMs: 40, eventId: 7 });

    const ingested = await ingest(store.attempt);

    expect(ingested).toEqual({
      outcome: 'stored',
      stored: [{ deliveryId: 'delivery-1', eventId: 7, outcome: 'stored', errorCode: null }],
      retries: 0,
      durationMs: 40,
    });
    expect(store.calls.map((call) => call.timeoutMs)).toEqual([400]);
  });

  it('retries a failure waiting can cure after a backoff, and counts the retry', async () => {
    const store = scriptedAttempt({ afterMs: 10, fails: outage }, { afterMs: 30, eventId: 8 });

    const ingested = await ingest(store.attempt);

    expect(ingested).toMatchObject({ outcome: 'stored', retries: 1, stored: [{ eventId: 8 }] });
    // 10 ms to fail, 100 ms of backoff, 30 ms to store.
    expect(ingested.durationMs).toBe(140);
    expect(store.calls.map((call) => call.at)).toEqual([0, 110]);
    // 890 ms of budget are left: the attempt still gets its own deadline, no more.
    expect(store.calls[1]?.timeoutMs).toBe(400);
  });

  it('times out once the budget is spent, and a late success of an abandoned attempt is not counted', async () => {
    // Every attempt hangs past its deadline and then "commits": the database would roll such a batch
    // back (p_not_after); here the answer arrives, and must change nothing.
    const store = scriptedAttempt({ afterMs: 5000, eventId: 1 }, { afterMs: 5000, eventId: 2 });

    const ingesting = ingestDeliveries(store.attempt, [record], policy);
    await vi.advanceTimersByTimeAsync(1000);
    const ingested = await ingesting;
    await vi.advanceTimersByTimeAsync(10_000);

    expect(ingested).toEqual({
      outcome: 'timed-out',
      stored: [],
      cause: 'no answer within 400 ms (HTTP 0)',
      retries: 1,
      durationMs: 1000,
    });
    // 0-400 first attempt, 100 ms backoff, then the 400 ms attempt, then 100 ms of budget left to wait.
    expect(store.calls.map((call) => [call.at, call.timeoutMs])).toEqual([
      [0, 400],
      [500, 400],
    ]);
    expect(() => storedOrThrow(ingested)).toThrow(ServiceUnavailableError);
  });

  it('times out after repeated outages, with the last cause', async () => {
    const fails = { afterMs: 0, fails: outage };
    const store = scriptedAttempt(fails, fails, fails, fails, fails);

    const ingested = await ingest(store.attempt);

    // Attempts at 0, 100, 300, 700; the 800 ms backoff is cut to the 300 ms left.
    expect(store.calls.map((call) => call.at)).toEqual([0, 100, 300, 700]);
    expect(ingested).toMatchObject({
      outcome: 'timed-out',
      retries: 3,
      durationMs: 1000,
      cause: 'upstream unavailable (HTTP 503)',
    });
  });

  it('does not report an answer that came after the attempt deadline, and stores on the retry', async () => {
    const store = scriptedAttempt({ afterMs: 401, eventId: 1 }, { afterMs: 5, eventId: 2 });

    const ingested = await ingest(store.attempt);

    expect(ingested).toMatchObject({ outcome: 'stored', retries: 1, stored: [{ eventId: 2 }] });
    expect(ingested.durationMs).toBe(505);
  });

  it('keeps a delivery PostgREST refused without its content, at once and not as a retry', async () => {
    const store = scriptedAttempt({ afterMs: 5, fails: refusal }, { afterMs: 5, eventId: 9 });

    const ingested = await ingest(store.attempt);

    expect(ingested).toEqual({
      outcome: 'failed',
      stored: [
        { deliveryId: 'delivery-1', eventId: 9, outcome: 'failed', errorCode: 'request-rejected:PGRST100' },
      ],
      cause: 'PGRST100 bad request (HTTP 400)',
      retries: 0,
      durationMs: 10,
    });
    expect(store.calls[1]?.events).toEqual([
      {
        ...record,
        outcome: 'failed',
        errorCode: 'request-rejected:PGRST100',
        payload: null,
        sanitized: null,
        isReport: false,
        fields: {},
        fieldsInPayload: {},
      },
    ]);
    expect(storedOrThrow(ingested)).toEqual(ingested.stored);
  });

  it('sends a refused body that went as received again as parsed, before giving up its content', async () => {
    const store = scriptedAttempt(
      { afterMs: 5, fails: refusal },
      { afterMs: 5, fails: refusal },
      { afterMs: 5, eventId: 9 },
    );
    const asReceived = { ...record, payloadJson: Buffer.from('{"message":{"type":"end-of-call-report"}}') };

    const ingesting = ingestDeliveries(store.attempt, [asReceived], policy);
    await vi.runAllTimersAsync();
    const ingested = await ingesting;

    expect(store.calls.map((call) => call.events[0]?.payloadJson !== undefined)).toEqual([
      true,
      false,
      false,
    ]);
    // The second try still has its content: only the third, after a second refusal, goes without.
    expect(store.calls[1]?.events).toEqual([record]);
    expect(store.calls[2]?.events[0]).toMatchObject({
      payload: null,
      errorCode: 'request-rejected:PGRST100',
    });
    expect(ingested).toMatchObject({ outcome: 'failed', retries: 0 });
  });

  it('stores a body refused as received with its content when the parsed payload is taken', async () => {
    const store = scriptedAttempt({ afterMs: 5, fails: refusal }, { afterMs: 5, eventId: 9 });
    const asReceived = { ...record, payloadJson: Buffer.from('{"message":{"type":"end-of-call-report"}}') };

    const ingesting = ingestDeliveries(store.attempt, [asReceived], policy);
    await vi.runAllTimersAsync();

    expect(await ingesting).toMatchObject({
      outcome: 'stored',
      stored: [{ deliveryId: 'delivery-1', eventId: 9, outcome: 'stored', errorCode: null }],
      retries: 0,
    });
    expect(store.calls[1]?.events).toEqual([record]);
  });

  it('reports a delivery refused even without its content as refused, which is answered 500', async () => {
    const store = scriptedAttempt({ afterMs: 0, fails: refusal }, { afterMs: 0, fails: refusal });

    const ingested = await ingest(store.attempt);

    expect(ingested).toMatchObject({ outcome: 'refused', stored: [], retries: 0 });
    expect(store.calls).toHaveLength(2);
    let thrown: unknown;
    try {
      storedOrThrow(ingested);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).not.toBeInstanceOf(ServiceUnavailableError);
    expect((thrown as HttpError).statusCode).toBe(500);
  });

  it('throws what is not a store failure (a bug) after one attempt, without retrying it', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const store = scriptedAttempt({ afterMs: 0, fails: () => bug });

    const ingesting = ingestDeliveries(store.attempt, [record], policy);
    const outcome = expect(ingesting).rejects.toBe(bug);
    await vi.runAllTimersAsync();
    await outcome;
    expect(store.calls).toHaveLength(1);
  });
});

describe('ingestDeliveries with a spool', () => {
  function spool(options: { backlogged?: boolean; refuses?: boolean } = {}) {
    const appended: EventRecord[] = [];
    const refused: unknown[] = [];
    const journal: DeliverySpool = {
      afterMs: 300,
      backlogged: () => options.backlogged ?? false,
      append: async (spooled) => {
        if (options.refuses) throw new Error('spool full');
        appended.push(spooled);
      },
      onRefused: (error) => refused.push(error),
    };
    return { journal, appended, refused };
  }
  const receivedAt = new Date('2026-12-03T12:00:00.000Z');

  it('stores as without a spool when the store commits within SPOOL_AFTER_MS', async () => {
    const { journal, appended } = spool();
    const store = scriptedAttempt({ afterMs: 50, eventId: 3 });

    const ingested = await ingest(store.attempt, { ...policy, spool: journal, receivedAt });

    expect(ingested).toMatchObject({ outcome: 'stored', durationMs: 50 });
    expect(appended).toEqual([]);
  });

  it('spools a store still running at SPOOL_AFTER_MS, with its time of receipt, and stops retrying', async () => {
    const { journal, appended } = spool();
    const store = scriptedAttempt({ afterMs: 350, fails: outage });

    const ingested = await ingest(store.attempt, { ...policy, spool: journal, receivedAt });

    expect(ingested).toEqual({ outcome: 'spooled', stored: [], retries: 0, durationMs: 300 });
    expect(appended).toEqual([{ ...record, receivedAt: '2026-12-03T12:00:00.000Z' }]);
    // The outage at 350 ms is not retried: the delivery is the spool's now.
    expect(store.calls).toHaveLength(1);
  });

  it('goes behind a backlog without trying the database', async () => {
    const { journal, appended } = spool({ backlogged: true });
    const store = scriptedAttempt();

    const ingested = await ingest(store.attempt, { ...policy, spool: journal, receivedAt });

    expect(ingested.outcome).toBe('spooled');
    expect(appended).toHaveLength(1);
    expect(store.calls).toHaveLength(0);
  });

  it('rides on the store for its whole budget when the spool refuses, and times out honestly', async () => {
    const { journal, refused } = spool({ refuses: true });
    const fails = { afterMs: 0, fails: outage };
    const store = scriptedAttempt(fails, fails, fails, fails);

    const ingested = await ingest(store.attempt, { ...policy, spool: journal, receivedAt });

    expect(ingested).toMatchObject({ outcome: 'timed-out', retries: 3, durationMs: 1000 });
    expect(refused).toEqual([new Error('spool full')]);
  });

  it('stores after the spool refused when a retry then commits', async () => {
    const { journal } = spool({ refuses: true });
    const store = scriptedAttempt({ afterMs: 350, fails: outage }, { afterMs: 10, eventId: 4 });

    const ingested = await ingest(store.attempt, { ...policy, spool: journal, receivedAt });

    expect(ingested).toMatchObject({ outcome: 'stored', retries: 1, durationMs: 460 });
  });
});
