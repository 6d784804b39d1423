import { describe, expect, it } from 'vitest';
import { fieldsInPayload } from '../../../src/lib/fields-in-payload.ts';
import { prepareVapiDelivery } from '../../../src/lib/prepare-vapi-delivery.ts';
import { vapiFixture } from '../../support/vapi-fixtures.ts';

function prepare(payload: unknown, metadataOnlyTypes: string[] = []) {
  return prepareVapiDelivery(
    {
      deliveryId: '00000000-0000-4000-8000-000000000001',
      payload,
      payloadBytes: 1,
      receivedAt: new Date('2025-11-22T12:00:00Z'),
      sourceId: null,
    },
    { region: 'US', metadataOnlyTypes: new Set(metadataOnlyTypes) },
  ).record;
}

describe('fieldsInPayload', () => {
  it('names the path of a field that is the payload value itself instead of copying it', () => {
    const messages = [{ role: 'user', message: 'hi' }];
    const payload = { message: { artifact: { transcript: 'User: hi', messages } } };
    expect(fieldsInPayload(payload, { transcript: 'User: hi', messages, status: 'ended' })).toEqual({
      fields: { status: 'ended' },
      fieldsInPayload: {
        transcript: ['message', 'artifact', 'transcript'],
        messages: ['message', 'artifact', 'messages'],
      },
    });
  });

  it('finds the legacy top-level copies', () => {
    const messages = [{ role: 'bot', message: 'hello' }];
    const result = fieldsInPayload(
      { message: { transcript: 'Bot: hello', messages } },
      { transcript: 'Bot: hello', messages },
    );
    expect(result.fieldsInPayload).toEqual({
      transcript: ['message', 'transcript'],
      messages: ['message', 'messages'],
    });
  });

  it('keeps a value the payload does not hold as it is (an equal copy is not the same value)', () => {
    const payload = { message: { artifact: { messages: [{ role: 'user' }] } } };
    const fields = { messages: [{ role: 'user' }], transcript: 'other' };
    expect(fieldsInPayload(payload, fields)).toEqual({ fields, fieldsInPayload: {} });
  });
});

describe('prepareVapiDelivery sends a report’s transcript and messages once', () => {
  it('refers to them in the payload it stores', () => {
    const record = prepare(vapiFixture('end-of-call-report', 'c1'));
    expect(record.fields.transcript).toBeUndefined();
    expect(record.fields.messages).toBeUndefined();
    expect(record.fieldsInPayload).toEqual({
      transcript: ['message', 'artifact', 'transcript'],
      messages: ['message', 'artifact', 'messages'],
    });
  });

  it('sends them as fields when the payload policy drops the payload', () => {
    const record = prepare(vapiFixture('end-of-call-report', 'c1'), ['end-of-call-report']);
    expect(record.payload).toBeNull();
    expect(record.fields.transcript).toEqual(expect.any(String));
    expect(record.fields.messages).toEqual(expect.any(Array));
    expect(record.fieldsInPayload).toBeUndefined();
  });
});
