import { describe, expect, it } from 'vitest';
import {
  type DefaultAnswerSettings,
  defaultAnswer,
  pcmSilence,
  requestResponseTypeOf,
} from '../../../src/lib/vapi-default-answers.ts';
import { vapiMessageSchema } from '../../../src/lib/vapi-message-schema.ts';
import { REQUEST_RESPONSE_TYPES } from '../../../src/lib/vapi-message-types.ts';

const message = (value: unknown) => vapiMessageSchema.parse(value);
const settings: DefaultAnswerSettings = {
  campaignPredialEligible: true,
  endpointingTimeoutSeconds: 0.4,
  voiceSilenceMs: 100,
};

describe('defaultAnswer', () => {
  it('reads tool calls from toolWithToolCallList when toolCallList is absent', () => {
    const answer = defaultAnswer(
      message({
        type: 'tool-calls',
        toolWithToolCallList: [{ name: 'lookup', toolCall: { id: 't1', function: { name: 'lookup' } } }],
      }),
      settings,
    );
    expect(answer).toEqual({
      kind: 'json',
      undecided: true,
      body: { results: [{ toolCallId: 't1', name: 'lookup', error: expect.any(String) }] },
    });
  });

  it('gives a tool call without a name the empty name the SDK requires', () => {
    const answer = defaultAnswer(message({ type: 'tool-calls', toolCallList: [{ id: 't9' }] }), settings);
    expect(answer.body).toEqual({
      results: [{ toolCallId: 't9', name: '', error: expect.stringContaining('t9') }],
    });
  });

  it('acknowledges an unusable message as unknown', () => {
    expect(defaultAnswer(undefined, settings)).toEqual({
      kind: 'json',
      undecided: false,
      body: { success: true, received: 'unknown' },
    });
  });

  it.each([
    ['campaign.predial', { eligible: true }],
    ['knowledge-base-request', { documents: [] }],
    ['call.endpointing.request', { timeoutSeconds: 0.4 }],
    ['transfer-destination-request', { error: expect.any(String) }],
    ['handoff-destination-request', { destination: {}, error: expect.any(String) }],
    ['assistant-request', { error: expect.any(String) }],
  ])('answers %s without a decision in the SDK shape', (type, body) => {
    expect(defaultAnswer(message({ type }), settings)).toEqual({ kind: 'json', undecided: true, body });
  });

  it('skips campaign contacts when VAPI_CAMPAIGN_PREDIAL_ELIGIBLE is false', () => {
    const answer = defaultAnswer(message({ type: 'campaign.predial' }), {
      ...settings,
      campaignPredialEligible: false,
    });
    expect(answer.body).toEqual({ eligible: false });
  });

  it('answers configured destinations as decisions', () => {
    const transferDestination = { type: 'number' as const, number: '+14155550123' };
    const handoffDestination = { type: 'assistant' as const, assistantName: 'Billing' };
    const configured = { ...settings, transferDestination, handoffDestination };
    expect(defaultAnswer(message({ type: 'transfer-destination-request' }), configured)).toEqual({
      kind: 'json',
      undecided: false,
      body: { destination: transferDestination },
    });
    expect(defaultAnswer(message({ type: 'handoff-destination-request' }), configured)).toEqual({
      kind: 'json',
      undecided: false,
      body: { destination: handoffDestination },
    });
  });

  it('answers voice-request with silence at the requested sample rate: 100 ms of 16-bit mono at 16 kHz is 3200 bytes', () => {
    const answer = defaultAnswer(
      message({ type: 'voice-request', text: 'Hello', sampleRate: 16_000 }),
      settings,
    );
    expect(answer.kind).toBe('pcm');
    expect(answer.body).toEqual(Buffer.alloc(3200));
  });

  it.each([1e12, -1, 44_100.5, '16000', null])(
    'answers a voice-request with a sample rate of %s at 24 kHz rather than allocating what it asks',
    (sampleRate) => {
      const answer = defaultAnswer(message({ type: 'voice-request', text: 'Hi', sampleRate }), settings);
      expect((answer.body as Buffer).length).toBe(4800);
    },
  );

  it('answers an empty body with VAPI_VOICE_REQUEST_SILENCE_MS=0', () => {
    expect(pcmSilence(24_000, 0)).toHaveLength(0);
  });
});

describe('requestResponseTypeOf', () => {
  it.each(REQUEST_RESPONSE_TYPES)('names %s', (type) => {
    expect(requestResponseTypeOf({ message: { type } })).toBe(type);
  });

  it.each([null, [], { message: null }, { message: { type: 'status-update' } }, { message: { type: 7 } }])(
    'names nothing for %j',
    (payload) => {
      expect(requestResponseTypeOf(payload)).toBeUndefined();
    },
  );
});
