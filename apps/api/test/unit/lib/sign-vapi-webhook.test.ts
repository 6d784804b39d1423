import { describe, expect, it } from 'vitest';
import { signVapiWebhook } from '../../../src/lib/sign-vapi-webhook.ts';
import { simulatedCall } from '../../../src/lib/simulated-call.ts';
import { verifyVapiWebhook, type WebhookAuthSettings } from '../../../src/lib/verify-vapi-signature.ts';

const hmac: WebhookAuthSettings = {
  mode: 'hmac',
  keys: [Buffer.from('old-secret'), Buffer.from('new-secret')],
  algorithm: 'sha256',
  signatureHeader: 'x-signature',
  timestampHeader: 'x-timestamp',
  payloadFormat: '{timestamp}.{body}',
  encoding: 'hex',
  signaturePrefix: 'v1=',
  includeTimestamp: true,
  toleranceSeconds: 300,
};

const NOW = Date.parse('2026-11-23T10:00:00Z');
const url = 'http://localhost:8000/api/v1/vapi/webhook';
const body = JSON.stringify({ message: { type: 'status-update', status: 'ringing', call: { id: 'c1' } } });

function verify(settings: WebhookAuthSettings, headers: Record<string, string>, sentBody = body) {
  return verifyVapiWebhook(settings, { headers, rawBody: Buffer.from(sentBody), method: 'POST', url }, NOW);
}

describe('signVapiWebhook', () => {
  it.each<[string, WebhookAuthSettings]>([
    ['hmac', hmac],
    [
      'hmac over the svix id and url, base64',
      { ...hmac, payloadFormat: '{svix-id}.{url}.{body}', encoding: 'base64', messageIdHeader: 'svix-id' },
    ],
    ['secret', { mode: 'secret', secrets: ['a', 'b'], headerName: 'x-vapi-secret' }],
    ['bearer', { mode: 'bearer', tokens: ['t1', 't2'], headerName: 'Authorization', prefixEnabled: true }],
    ['raw bearer', { mode: 'bearer', tokens: ['t1'], headerName: 'x-token', prefixEnabled: false }],
  ])('signs so that the verifier with the same %s settings accepts it', (_mode, settings) => {
    const headers = signVapiWebhook(settings, { body, url }, NOW);
    expect(verify(settings, headers)).toMatchObject({ ok: true });
  });

  it('signs with the newest secret of a rotation, and the signature covers the body', () => {
    const headers = signVapiWebhook(hmac, { body, url }, NOW);
    expect(verify({ ...hmac, keys: [Buffer.from('new-secret')] }, headers)).toMatchObject({ ok: true });
    expect(verify({ ...hmac, keys: [Buffer.from('old-secret')] }, headers)).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
    expect(verify(hmac, headers, body.replace('ringing', 'ended'))).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
  });
});

describe('simulatedCall', () => {
  it('moves queued → ringing → in-progress → ended, with live updates between, and ends with a full report', () => {
    const { callId, deliveries } = simulatedCall({
      callId: 'sim-1',
      startedAt: new Date('2026-11-23T10:00:00Z'),
    });
    const messages = deliveries.map((delivery) => delivery.payload.message);
    expect(callId).toBe('sim-1');
    expect(messages.filter((m) => m.type === 'status-update').map((m) => m.status)).toEqual([
      'queued',
      'ringing',
      'in-progress',
      'ended',
    ]);
    expect(new Set(messages.map((m) => m.type))).toEqual(
      new Set(['status-update', 'speech-update', 'transcript', 'conversation-update', 'end-of-call-report']),
    );
    const report = messages.at(-1) as {
      type: string;
      artifact: { messages: unknown[]; recording: { mono: { combinedUrl: string } } };
      analysis: { summary: string };
      costs: unknown[];
    };
    expect(report.type).toBe('end-of-call-report');
    expect(report.artifact.messages.length).toBeGreaterThan(5);
    expect(report.artifact.recording.mono.combinedUrl).toContain('sim-1');
    expect(report.analysis.summary).toEqual(expect.any(String));
    expect(report.costs.length).toBeGreaterThan(0);
    expect(messages.every((m) => (m.call as { id: string }).id === 'sim-1')).toBe(true);
  });

  it('scales its pauses by the pace: 0 sends the call at once', () => {
    const live = simulatedCall({ pace: 1 }).deliveries;
    expect(live.reduce((sum, d) => sum + d.delayMs, 0)).toBeGreaterThan(5000);
    expect(simulatedCall({ pace: 0 }).deliveries.every((d) => d.delayMs === 0)).toBe(true);
  });
});
