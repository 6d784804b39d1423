import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDb } from '../../support/database.ts';
import { buildTestApp, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId } from '../../support/vapi-fixtures.ts';

// Issue 18, finding 4: `GET /events?limit=250&include=payload` could answer 250 payloads of ~1 MB.
// With EVENT_PAGE_MAX_PAYLOAD_BYTES a page stops once its payloads reach the bound; the cursor goes on.
const MAX_PAGE_BYTES = 1_048_576;

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({ EVENT_PAGE_MAX_PAYLOAD_BYTES: String(MAX_PAGE_BYTES) });
});
afterAll(() => app.close());

/** Logs a delivery whose payload is `bytes` long as received (a transcript-heavy report, say). */
async function insertLargeEvent(callId: string, bytes: number): Promise<number> {
  const filler = 'x'.repeat(bytes - 120);
  const payload = JSON.stringify({ message: { type: 'end-of-call-report', call: { id: callId }, filler } });
  const [row] = await queryDb<{ id: string }>(
    `insert into vapi_webhook_events (delivery_id, call_id, event_type, payload_bytes, outcome, payload)
     values (gen_random_uuid(), $1, 'end-of-call-report', $2, 'stored', $3) returning id`,
    [callId, Buffer.byteLength(payload), payload],
  );
  return Number(row?.id);
}

describe('GET /api/v1/vapi/events?include=payload with large payloads', () => {
  it('stops each page at the byte bound and walks every event exactly once through the cursor', async () => {
    const callId = uniqueCallId('large-payloads');
    // 300 KB each, and one bigger than the whole bound: it still gets a page of its own.
    const sizes = [
      300_000, 300_000, 300_000, 300_000, 1_200_000, 300_000, 300_000, 300_000, 300_000, 300_000,
    ];
    const ids: number[] = [];
    for (const size of sizes) ids.push(await insertLargeEvent(callId, size));

    const pages: Array<{ ids: number[]; payloadBytes: number; bodyBytes: number }> = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ callId, limit: '250', include: 'payload' });
      if (cursor) query.set('cursor', cursor);
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/vapi/events?${query}`,
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json() as {
        data: Array<{ id: number; payloadBytes: number; payload: { message: { filler: string } } }>;
        page: { nextCursor: string | null };
      };
      for (const event of body.data) expect(event.payload.message.filler.length).toBeGreaterThan(100_000);
      pages.push({
        ids: body.data.map((event) => event.id),
        payloadBytes: body.data.reduce((sum, event) => sum + event.payloadBytes, 0),
        bodyBytes: Buffer.byteLength(response.body),
      });
      cursor = body.page.nextCursor;
      expect(pages.length).toBeLessThan(20);
    } while (cursor);

    // Newest first, nothing skipped, nothing twice.
    expect(pages.flatMap((page) => page.ids)).toEqual([...ids].reverse());
    for (const page of pages) {
      expect(page.ids.length).toBeGreaterThan(0);
      if (page.ids.length > 1) expect(page.payloadBytes).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    }
    // 300 KB × 3 fits under 1 MiB, a fourth would not; the 1.2 MB event stands alone.
    expect(pages.map((page) => page.ids.length)).toEqual([3, 2, 1, 3, 1]);
    const lone = pages.find((page) => page.payloadBytes > MAX_PAGE_BYTES);
    expect(lone?.ids).toEqual([ids[4]]);
    for (const page of pages)
      expect(page.bodyBytes).toBeLessThan(Math.max(page.payloadBytes, MAX_PAGE_BYTES) * 1.1);
  });

  it('does not bound a page without payloads: limit alone applies', async () => {
    const callId = uniqueCallId('large-metadata');
    for (let n = 0; n < 5; n++) await insertLargeEvent(callId, 400_000);
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/events?callId=${callId}&limit=250`,
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(response.json().data).toHaveLength(5);
    expect(response.json().page.nextCursor).toBeNull();
  });
});
