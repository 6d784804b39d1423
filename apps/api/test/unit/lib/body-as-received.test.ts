import { describe, expect, it } from 'vitest';
import { ingestBatchBody } from '../../../src/lib/ingest-batch-body.ts';
import { parseDeliveryBody } from '../../../src/lib/parse-delivery-body.ts';
import {
  type EventRecord,
  type PrepareOptions,
  prepareVapiDelivery,
} from '../../../src/lib/prepare-vapi-delivery.ts';
import { vapiFixture } from '../../support/vapi-fixtures.ts';

const OPTIONS: PrepareOptions = { region: 'US', metadataOnlyTypes: new Set(['speech-update']) };

/** What the webhook route hands on for these body bytes. */
function prepare(body: Buffer | string, options: PrepareOptions = OPTIONS): EventRecord {
  const bytes = Buffer.from(body);
  const { payload, json } = parseDeliveryBody(bytes);
  return prepareVapiDelivery(
    {
      deliveryId: '00000000-0000-4000-8000-000000000001',
      payload,
      json,
      payloadBytes: bytes.length,
      receivedAt: new Date('2025-11-22T12:00:00Z'),
      sourceId: null,
    },
    options,
  ).record;
}

/** A status update with nothing to redact: no phone number credentials, no assistant server headers. */
function cleanStatusUpdate(): { message: Record<string, unknown> } {
  const update = vapiFixture('status-update-in-progress', 'call-as-received') as {
    message: Record<string, unknown>;
  };
  delete update.message.phoneNumber;
  delete update.message.assistant;
  return update;
}

describe('parseDeliveryBody', () => {
  it('parses the body and keeps its bytes, a leading BOM skipped in both', () => {
    const parsed = parseDeliveryBody(Buffer.from('\ufeff{"a": [1, "é"]}'));
    expect(parsed.payload).toEqual({ a: [1, 'é'] });
    expect(parsed.json?.toString('utf8')).toBe('{"a": [1, "é"]}');
  });

  it('parses invalid UTF-8 as U+FFFD and keeps no bytes, which Postgres would not take as they are', () => {
    const parsed = parseDeliveryBody(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    expect(parsed.payload).toEqual({ a: '\ufffd' });
    expect(parsed.json).toBeUndefined();
  });

  it('refuses what is not JSON with a 400', () => {
    expect(() => parseDeliveryBody(Buffer.from('{"a":'))).toThrow(
      expect.objectContaining({ statusCode: 400, message: 'Body is not valid JSON' }),
    );
  });
});

describe('prepareVapiDelivery: when the received bytes stand for the payload', () => {
  it('keeps the bytes of a delivery sanitizing left as it was', () => {
    const body = JSON.stringify(cleanStatusUpdate(), null, 1);
    const record = prepare(body);
    expect(record.payloadJson?.toString('utf8')).toBe(body);
    expect(record.sanitized).toBeNull();
  });

  it.each([
    [
      'a credential to redact',
      (u: ReturnType<typeof cleanStatusUpdate>) => {
        u.message.phoneNumber = { twilioAuthToken: 'secret-token' };
      },
    ],
    [
      'a NUL to remove',
      (u: ReturnType<typeof cleanStatusUpdate>) => {
        u.message.status = 'in-\u0000progress';
      },
    ],
    [
      'a lone surrogate to replace',
      (u: ReturnType<typeof cleanStatusUpdate>) => {
        u.message.note = 'x\ud800';
      },
    ],
  ])('drops the bytes of a delivery with %s, so only the sanitized payload is stored', (_label, spoil) => {
    const update = cleanStatusUpdate();
    spoil(update);
    const record = prepare(JSON.stringify(update));
    expect(record.payloadJson).toBeUndefined();
    expect(JSON.stringify(record.payload)).not.toMatch(/secret-token|\\u0000|\\ud800/);
  });

  it('drops the bytes of a delivery nested past the depth limit', () => {
    const body = JSON.stringify(cleanStatusUpdate()).replace(
      '{"message":{',
      `{"deep":${'['.repeat(80)}${']'.repeat(80)},"message":{`,
    );
    const record = prepare(body);
    expect(record.payloadJson).toBeUndefined();
    expect(record.sanitized?.changes).toEqual([expect.objectContaining({ reason: 'too-deep' })]);
  });

  it('drops the bytes when encrypted paths are configured, as decryption works on a copy', () => {
    const record = prepare(JSON.stringify(cleanStatusUpdate()), {
      ...OPTIONS,
      decryption: { paths: ['message.call.customer.number'] },
    });
    expect(record.payloadJson).toBeUndefined();
  });

  it('sends no bytes for a type logged without its payload', () => {
    const update = cleanStatusUpdate();
    update.message.type = 'speech-update';
    const record = prepare(JSON.stringify(update));
    expect(record.payload).toBeNull();
    expect(record.payloadJson).toBeUndefined();
  });
});

describe('ingestBatchBody', () => {
  const base = {
    sourceId: null,
    callId: 'call-1',
    eventType: 'status-update',
    eventAt: '2025-11-22T12:00:00.000Z',
    payloadBytes: 1,
    outcome: 'stored',
    errorCode: null,
    sanitized: null,
    isReport: false,
    fields: { status: 'in-progress' },
  } as const;

  it('writes received bytes in as they are and serializes the rest', () => {
    const received = Buffer.from('{ "message" : { "n": 12345678901234567890 } }');
    const body = ingestBatchBody(
      [
        { deliveryId: 'd1', ...base, payload: { message: { n: 1 } }, payloadJson: received },
        { deliveryId: 'd2', ...base, payload: { message: { n: 2 } } },
      ],
      new Date('2025-11-22T12:00:05.000Z'),
    ).toString('utf8');
    expect(body).toBe(
      '{"notAfter":"2025-11-22T12:00:05.000Z","events":[' +
        '{"deliveryId":"d1","sourceId":null,"callId":"call-1","eventType":"status-update","eventAt":"2025-11-22T12:00:00.000Z","payloadBytes":1,"outcome":"stored","errorCode":null,"sanitized":null,"isReport":false,"fields":{"status":"in-progress"},"payload":{ "message" : { "n": 12345678901234567890 } }},' +
        '{"deliveryId":"d2","sourceId":null,"callId":"call-1","eventType":"status-update","eventAt":"2025-11-22T12:00:00.000Z","payloadBytes":1,"outcome":"stored","errorCode":null,"sanitized":null,"isReport":false,"fields":{"status":"in-progress"},"payload":{"message":{"n":2}}}' +
        ']}',
    );
  });

  it('writes an empty batch and no deadline as JSON', () => {
    expect(ingestBatchBody([], null).toString('utf8')).toBe('{"notAfter":null,"events":[]}');
  });
});
