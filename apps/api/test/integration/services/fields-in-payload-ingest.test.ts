import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/lib/prepare-vapi-delivery.ts';
import { callIngestRpc } from '../../../src/services/store-vapi-events.ts';
import { serviceIngestEndpoint } from '../../support/admin.ts';
import { callRow } from '../../support/database.ts';
import { uniqueCallId } from '../../support/vapi-fixtures.ts';

function reportRecord(callId: string, overrides: Partial<EventRecord>): EventRecord {
  return {
    deliveryId: randomUUID(),
    sourceId: null,
    callId,
    eventType: 'end-of-call-report',
    eventAt: new Date().toISOString(),
    payloadBytes: 100,
    outcome: 'stored',
    errorCode: null,
    payload: {
      message: { artifact: { transcript: 'User: from the payload', messages: [{ role: 'user' }] } },
    },
    sanitized: null,
    isReport: true,
    fields: { status: 'ended' },
    ...overrides,
  };
}

describe('ingest_vapi_deliveries reads fields the event names in its payload', () => {
  it('stores the payload values at the named paths', async () => {
    const callId = uniqueCallId();
    const record = reportRecord(callId, {
      fieldsInPayload: {
        transcript: ['message', 'artifact', 'transcript'],
        messages: ['message', 'artifact', 'messages'],
      },
    });
    const [stored] = await callIngestRpc(serviceIngestEndpoint(), [record], 5000);
    expect(stored?.outcome).toBe('stored');
    expect(await callRow(callId)).toMatchObject({
      status: 'ended',
      transcript: 'User: from the payload',
      messages: [{ role: 'user' }],
    });
  });

  it('lets a field sent as a value win, and leaves a path the payload lacks unset', async () => {
    const callId = uniqueCallId();
    const record = reportRecord(callId, {
      fields: { status: 'ended', transcript: 'User: sent as a value' },
      fieldsInPayload: { transcript: ['message', 'artifact', 'transcript'], summary: ['message', 'nowhere'] },
    });
    await callIngestRpc(serviceIngestEndpoint(), [record], 5000);
    expect(await callRow(callId)).toMatchObject({ transcript: 'User: sent as a value', summary: null });
  });
});
