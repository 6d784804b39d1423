import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, callRow, queryDb } from '../../support/database.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// A delivery that sanitizing leaves as it is goes to Postgres as the bytes VAPI sent
// (ingest-batch-body.ts); these are the bodies where those bytes and the parsed payload could part.

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

type Report = { message: Record<string, unknown> & { analysis: Record<string, unknown> } };

/** A report with nothing to redact (no phone number credentials, no server headers). */
function cleanReport(callId: string): Report {
  const report = vapiFixture('end-of-call-report', callId) as Report;
  delete report.message.phoneNumber;
  delete report.message.assistant;
  return report;
}

function post(body: string | Buffer) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/vapi/webhook',
    payload: body,
    headers: { ...vapiHmacHeaders(body), 'content-type': 'application/json' },
  });
}

/** Posts `body` with six clean reports at once, so the group commit batches them together; all 2xx. */
async function postBesideNeighbours(body: string | Buffer, prefix: string): Promise<string[]> {
  const neighbours = Array.from({ length: 6 }, () => uniqueCallId(prefix));
  const answers = await Promise.all([
    post(body),
    ...neighbours.map((id) => post(JSON.stringify(cleanReport(id)))),
  ]);
  expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 200));
  return neighbours;
}

async function storedEvent(callId: string) {
  const [event, ...others] = await callEvents(callId);
  expect(others).toEqual([]);
  return event as { outcome: string; error_code: string | null; payload: Report; sanitized: unknown };
}

describe('POST /api/v1/vapi/webhook stores a clean body as received', () => {
  it('keeps what JSON.parse would round: a 20-digit id and a 25-digit fraction, exactly', async () => {
    const callId = uniqueCallId('as-received');
    const body = JSON.stringify(cleanReport(callId)).replace(
      '"summary":',
      '"ticket": 12345678901234567890, "ratio": 0.1000000000000000000000001, "summary":',
    );
    expect((await post(body)).statusCode).toBe(200);
    const event = await storedEvent(callId);
    expect(event).toMatchObject({ outcome: 'stored', error_code: null, sanitized: null });
    // pg gives numeric JSON values back as JS numbers, so compare the stored text.
    const [row] = await queryPayloadText(callId);
    expect(row).toContain('"ticket": 12345678901234567890');
    expect(row).toContain('"ratio": 0.1000000000000000000000001');
  });

  it('stores a body with escapes and spacing JSON.stringify would not write, as the same values', async () => {
    const callId = uniqueCallId('escapes');
    const report = cleanReport(callId);
    const body = JSON.stringify(report, null, 2)
      .replace('"summary": "', '"summary": "caf\\u00e9 \\/ ')
      .replace(/\n/g, '\r\n');
    expect((await post(body)).statusCode).toBe(200);
    const event = await storedEvent(callId);
    expect(event.outcome).toBe('stored');
    expect(event.payload.message.analysis.summary).toBe(`café / ${report.message.analysis.summary}`);
    expect(await callRow(callId)).toMatchObject({
      summary: `café / ${report.message.analysis.summary}`,
      transcript: expect.stringContaining('Concierge'),
    });
  });

  it('stores a body with invalid UTF-8 beside clean ones in the same batch, all of them with content', async () => {
    const broken = uniqueCallId('bad-utf8');
    const [before, after] = JSON.stringify(cleanReport(broken)).split('"summary":"');
    const body = Buffer.concat([
      Buffer.from(`${before}"summary":"bad `),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(` bytes, then `),
      Buffer.from(after as string),
    ]);
    const neighbours = await postBesideNeighbours(body, 'utf8-neighbour');
    const event = await storedEvent(broken);
    expect(event.outcome).toBe('stored');
    expect(event.payload.message.analysis.summary).toMatch(/^bad \ufffd\(\ufffd bytes, then /);
    for (const id of neighbours) expect((await storedEvent(id)).outcome).toBe('stored');
  });

  it('stores numbers Postgres cannot take as received by sending the parsed payload, neighbours unharmed', async () => {
    const tiny = uniqueCallId('tiny-number');
    const body = JSON.stringify(cleanReport(tiny)).replace(
      '"summary":',
      '"tiny": 1e-99999, "huge": 1e999999, "summary":',
    );
    const neighbours = await postBesideNeighbours(body, 'number-neighbour');
    const event = await storedEvent(tiny);
    expect(event).toMatchObject({ outcome: 'stored', error_code: null });
    // As JSON.parse read them: 0 and Infinity, which JSON writes as null.
    expect(event.payload.message.analysis).toMatchObject({ tiny: 0, huge: null });
    expect(await callRow(tiny)).toMatchObject({ transcript: expect.stringContaining('Concierge') });
    for (const id of neighbours) expect((await storedEvent(id)).outcome).toBe('stored');
  });

  it('never stores the received bytes of a body with a credential in it', async () => {
    const callId = uniqueCallId('credential');
    const report = vapiFixture('end-of-call-report', callId) as Report;
    const body = JSON.stringify(report).replace('"summary":', '"ticket": 12345678901234567890, "summary":');
    expect(body).toContain('twilio-auth-token-should-never-be-stored');
    expect((await post(body)).statusCode).toBe(200);
    const [row] = await queryPayloadText(callId);
    expect(row).not.toContain('twilio-auth-token-should-never-be-stored');
    expect(row).toContain('[redacted]');
    // Serialized from the parsed payload, so the id is JSON.parse's double.
    expect(row).toContain('"ticket": 12345678901234567000');
  });
});

async function queryPayloadText(callId: string): Promise<string[]> {
  const rows = await queryDb('select payload::text as text from vapi_webhook_events where call_id = $1', [
    callId,
  ]);
  return rows.map((row) => String(row.text));
}
