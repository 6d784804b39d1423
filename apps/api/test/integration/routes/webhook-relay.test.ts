import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminAuth, buildAdminTestApp, createTestSource, TEST_ADMIN_KEY } from '../../support/admin.ts';
import { queryDb } from '../../support/database.ts';
import { parsePrometheusText, type Sample, sampleValue } from '../../support/prometheus-text.ts';
import {
  type RequestResponseMessageType,
  requestResponseMessage,
} from '../../support/request-response-messages.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { TEST_API_KEY, type TestApp, testEnv } from '../../support/test-app.ts';
import { uniqueCallId } from '../../support/vapi-fixtures.ts';
import {
  closedPortUrl,
  startVapiServerStandIn,
  type VapiServerStandIn,
} from '../../support/vapi-server-stand-in.ts';

const METRICS_TOKEN = 'metrics-token-relay-9e8d7c6b';
/** A header the team configured on VAPI's server (`server.headers`): VAPI sends it, so it is VAPI's. */
const TEAM_HEADER = { 'x-team-routing': 'eu-west' };

const standIns: VapiServerStandIn[] = [];
const apps: TestApp[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(standIns.map((standIn) => standIn.close()));
});
async function standIn(options: { secret?: string } = {}) {
  const started = await startVapiServerStandIn(options);
  standIns.push(started);
  return started;
}
async function appWith(overrides: Record<string, string>) {
  const app = await buildAdminTestApp({ METRICS_TOKEN, ...overrides });
  apps.push(app);
  return app;
}

/** Sends a request-response message exactly as VAPI would: signed bytes, VAPI's headers. */
function deliver(
  app: TestApp,
  type: RequestResponseMessageType,
  options: { callId?: string; url?: string; secret?: string; headers?: Record<string, string> } = {},
) {
  const callId = options.callId ?? uniqueCallId(type.replaceAll('.', '-'));
  const body = JSON.stringify(requestResponseMessage(type, callId));
  const headers = {
    ...vapiHmacHeaders(body, options.secret ? { secret: options.secret } : {}),
    ...TEAM_HEADER,
    ...options.headers,
  };
  const response = app.inject({
    method: 'POST',
    url: options.url ?? '/api/v1/vapi/webhook',
    payload: body,
    headers,
  });
  return { callId, body, headers, response };
}

type RelayRow = { relay_status: number | null; relay_ms: number | null; relay_error: string | null };
/** The relay outcome is written after VAPI's answer: wait for it on the event row. */
async function relayRow(callId: string): Promise<RelayRow & { event_type: string }> {
  return vi.waitFor(
    async () => {
      const [row] = await queryDb<RelayRow & { event_type: string }>(
        'select event_type, relay_status, relay_ms, relay_error from vapi_webhook_events where call_id = $1',
        [callId],
      );
      if (row?.relay_ms === null || row?.relay_ms === undefined) throw new Error('relay not recorded yet');
      return row;
    },
    { timeout: 5000, interval: 25 },
  );
}

async function scrape(app: TestApp): Promise<Sample[]> {
  const response = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  return parsePrometheusText(response.body).samples;
}

describe('relay: the team server’s answer goes back to VAPI unchanged', () => {
  let upstream: VapiServerStandIn;
  let app: TestApp;
  beforeAll(async () => {
    upstream = await standIn();
    app = await appWith({ VAPI_RELAY_URL: `${upstream.url}/vapi/server?team=acme` });
  });

  it('forwards the exact bytes with VAPI’s headers, so the team server’s own signature check passes', async () => {
    upstream.answerWith((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end('{"assistantId":"asst_team_server" }');
    });
    const from = upstream.requests.length;
    const delivery = deliver(app, 'assistant-request');
    const response = await delivery.response;
    const received = await upstream.nextRequest(from);

    expect(received.signatureValid).toBe(true);
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/vapi/server?team=acme');
    expect(received.body.toString('utf8')).toBe(delivery.body);
    for (const [name, value] of Object.entries(delivery.headers)) expect(received.headers[name]).toBe(value);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    // Byte for byte: not parsed and re-serialized (the stray space stays).
    expect(response.body).toBe('{"assistantId":"asst_team_server" }');

    const row = await relayRow(delivery.callId);
    expect(row).toEqual({
      event_type: 'assistant-request',
      relay_status: 200,
      relay_ms: expect.any(Number),
      relay_error: null,
    });
  });

  it('returns raw audio bytes and their content type for a voice-request', async () => {
    const audio = randomBytes(48_000);
    upstream.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/l16; rate=16000' }).end(audio);
    });
    const delivery = deliver(app, 'voice-request');
    const response = await delivery.response;
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('audio/l16; rate=16000');
    expect(Buffer.compare(response.rawPayload, audio)).toBe(0);
  });

  it('passes a 4xx through as VAPI would have got it from the team server, the event stored all the same', async () => {
    upstream.answerWith((_request, response) => {
      response.writeHead(422, { 'content-type': 'text/plain' }).end('unknown tool');
    });
    const delivery = deliver(app, 'tool-calls');
    const response = await delivery.response;
    expect(response.statusCode).toBe(422);
    expect(response.body).toBe('unknown tool');
    expect(await relayRow(delivery.callId)).toMatchObject({ relay_status: 422, relay_error: null });
  });

  it('shows the relay on the event in GET /events and counts the forward, not a default answer', async () => {
    upstream.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"eligible":false}');
    });
    const before = await scrape(app);
    const delivery = deliver(app, 'campaign.predial');
    expect((await delivery.response).json()).toEqual({ eligible: false });
    await relayRow(delivery.callId);

    const events = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/events?callId=${delivery.callId}`,
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(events.json().data).toEqual([
      expect.objectContaining({
        type: 'campaign.predial',
        relay: { status: 200, ms: expect.any(Number), error: null },
      }),
    ]);

    const after = await scrape(app);
    const relayed = (samples: Sample[]) =>
      sampleValue(samples, 'callbridge_vapi_relay_duration_seconds_count', {
        type: 'campaign.predial',
        result: 'answered',
      });
    expect(relayed(after)).toBe(relayed(before) + 1);
    const defaults = (samples: Sample[]) =>
      sampleValue(samples, 'callbridge_vapi_default_answers_total', { type: 'campaign.predial' });
    expect(defaults(after)).toBe(defaults(before));
  });

  it('records the relay once: the log stays append-only otherwise', async () => {
    const delivery = deliver(app, 'call.endpointing.request');
    await delivery.response;
    await relayRow(delivery.callId);
    const where = [delivery.callId];
    await expect(
      queryDb('update vapi_webhook_events set relay_ms = 1 where call_id = $1', where),
    ).rejects.toThrow(/append-only/);
    await expect(
      queryDb(
        "update vapi_webhook_events set relay_status = 500, relay_error = 'x' where call_id = $1",
        where,
      ),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses a first relay write that changes anything else', async () => {
    const callId = uniqueCallId('status');
    const body = JSON.stringify({
      message: { type: 'status-update', status: 'ringing', call: { id: callId } },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: vapiHmacHeaders(body),
    });
    await expect(
      queryDb("update vapi_webhook_events set relay_ms = 5, outcome = 'failed' where call_id = $1", [callId]),
    ).rejects.toThrow(/append-only/);
  });

  it('does not relay informational messages without VAPI_RELAY_TYPES', async () => {
    const from = upstream.requests.length;
    const callId = uniqueCallId('status');
    const body = JSON.stringify({
      message: { type: 'status-update', status: 'ringing', call: { id: callId } },
    });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: vapiHmacHeaders(body),
    });
    expect(response.json()).toEqual({ success: true, received: 'status-update' });
    const [row] = await queryDb('select relay_ms from vapi_webhook_events where call_id = $1', [callId]);
    expect(row).toEqual({ relay_ms: null });
    expect(upstream.requests.length).toBe(from);
  });
});

describe('relay: the default answer when the team server fails or is late', () => {
  let upstream: VapiServerStandIn;
  let app: TestApp;
  beforeAll(async () => {
    upstream = await standIn();
    app = await appWith({
      VAPI_RELAY_URL: upstream.url,
      VAPI_RELAY_TIMEOUT_MS: '300',
      VAPI_RELAY_ASSISTANT_REQUEST_TIMEOUT_MS: '150',
    });
  });

  const failedDefaults = async (type: string) =>
    sampleValue(await scrape(app), 'callbridge_vapi_default_answers_total', { type, reason: 'relay-failed' });

  it('answers within VAPI_RELAY_TIMEOUT_MS while the team server is still holding the request', async () => {
    // The team server never answers: VAPI's answer cannot have waited for it.
    upstream.answerWith(async (_request, response) => {
      await new Promise((resolve) => response.on('close', resolve));
    });
    const before = await failedDefaults('call.endpointing.request');
    const delivery = deliver(app, 'call.endpointing.request');
    const response = await delivery.response;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ timeoutSeconds: 0.4 });
    const row = await relayRow(delivery.callId);
    expect(row).toMatchObject({ relay_status: null, relay_error: 'timeout' });
    expect(row.relay_ms).toBeGreaterThanOrEqual(300);
    expect(await failedDefaults('call.endpointing.request')).toBe(before + 1);
  });

  it('gives assistant-request its own, shorter deadline (VAPI allows it 7.5 s in all)', async () => {
    upstream.answerWith(async (_request, response) => {
      await new Promise((resolve) => response.on('close', resolve));
    });
    const delivery = deliver(app, 'assistant-request');
    expect((await delivery.response).json()).toEqual({
      error: 'Sorry, this number is not set up to take calls right now.',
    });
    const row = await relayRow(delivery.callId);
    expect(row).toMatchObject({ relay_error: 'timeout' });
    expect(row.relay_ms).toBeGreaterThanOrEqual(150);
    expect(row.relay_ms).toBeLessThan(300);
  });

  it('answers the default on a 5xx from the team server', async () => {
    upstream.answerWith((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"documents":[{"content":"x"}]}');
    });
    const before = await failedDefaults('knowledge-base-request');
    const delivery = deliver(app, 'knowledge-base-request');
    const response = await delivery.response;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ documents: [] });
    expect(await relayRow(delivery.callId)).toMatchObject({ relay_status: 503, relay_error: 'status-503' });
    expect(await failedDefaults('knowledge-base-request')).toBe(before + 1);
  });

  it('answers the default when the connection is refused', async () => {
    const refusing = await appWith({ VAPI_RELAY_URL: await closedPortUrl() });
    const delivery = deliver(refusing, 'transfer-destination-request');
    const response = await delivery.response;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ error: 'No transfer destination is configured on this server' });
    expect(await relayRow(delivery.callId)).toMatchObject({
      relay_status: null,
      relay_error: 'unreachable:ECONNREFUSED',
    });
  });

  it('answers the default when the team server drops the connection mid-answer', async () => {
    upstream.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/l16', 'content-length': '1000' });
      response.write(Buffer.alloc(10, 1));
      setTimeout(() => response.destroy(), 20);
    });
    const delivery = deliver(app, 'voice-request');
    const response = await delivery.response;
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.rawPayload.every((byte) => byte === 0)).toBe(true);
    expect(await relayRow(delivery.callId)).toMatchObject({ relay_status: 200, relay_error: 'interrupted' });
  });
});

describe('relay: per-source relayUrl', () => {
  let defaultUpstream: VapiServerStandIn;
  let app: TestApp;
  beforeAll(async () => {
    defaultUpstream = await standIn();
    app = await appWith({ VAPI_RELAY_URL: defaultUpstream.url });
  });

  it('relays a source’s deliveries to its own relayUrl, verified with the source’s secret, never to VAPI_RELAY_URL', async () => {
    const secret = `team-server-secret-${randomBytes(8).toString('hex')}`;
    const teamServer = await standIn({ secret });
    const source = await createTestSource(app, { secret, relayUrl: `${teamServer.url}/team` });
    expect(source.relayUrl).toBe(`${teamServer.url}/team`);

    teamServer.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"timeoutSeconds":2}');
    });
    const fromDefault = defaultUpstream.requests.length;
    const delivery = deliver(app, 'call.endpointing.request', {
      url: `/api/v1/vapi/sources/${source.id}/webhook`,
      secret,
    });
    const response = await delivery.response;
    expect(response.json()).toEqual({ timeoutSeconds: 2 });
    const [received] = teamServer.requests;
    expect(received).toMatchObject({ path: '/team', signatureValid: true });
    expect(defaultUpstream.requests.length).toBe(fromDefault);
  });

  it('does not relay a source without a relayUrl, even with VAPI_RELAY_URL set', async () => {
    const source = await createTestSource(app);
    const from = defaultUpstream.requests.length;
    const delivery = deliver(app, 'call.endpointing.request', {
      url: `/api/v1/vapi/sources/${source.id}/webhook`,
      secret: source.secret,
    });
    expect((await delivery.response).json()).toEqual({ timeoutSeconds: 0.4 });
    expect(defaultUpstream.requests.length).toBe(from);
  });
});

describe('relay: hostile upstreams and settings', () => {
  let upstream: VapiServerStandIn;
  let elsewhere: VapiServerStandIn;
  let app: TestApp;
  const METRICS = 'metrics-token-relay-9e8d7c6b';
  beforeAll(async () => {
    upstream = await standIn();
    elsewhere = await standIn();
    app = await appWith({ VAPI_RELAY_URL: upstream.url, VAPI_RELAY_TIMEOUT_MS: '5000' });
  });

  it('stops reading an endless answer at the cap and answers the default', async () => {
    let sent = 0;
    let closed = false;
    upstream.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/l16' });
      const chunk = Buffer.alloc(1024 * 1024, 7);
      const pump = () => {
        while (!closed && response.write(chunk)) sent += chunk.length;
        if (!closed) response.once('drain', pump);
      };
      response.on('close', () => {
        closed = true;
      });
      pump();
    });
    const delivery = deliver(app, 'voice-request');
    const response = await delivery.response;
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.rawPayload.every((byte) => byte === 0)).toBe(true);
    expect(await relayRow(delivery.callId)).toMatchObject({ relay_status: 200, relay_error: 'too-large' });
    await vi.waitFor(() => expect(closed).toBe(true));
    // The connection was cut soon after the 16 MiB cap, not read on forever.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('does not follow a redirect: the signed body goes nowhere else', async () => {
    upstream.answerWith((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/stolen` }).end();
    });
    const delivery = deliver(app, 'tool-calls');
    const response = await delivery.response;
    expect(response.statusCode).toBe(200);
    expect(response.json().results[0]).toMatchObject({ toolCallId: 'call_tool_1' });
    expect(await relayRow(delivery.callId)).toMatchObject({ relay_status: 307, relay_error: 'status-307' });
    expect(elsewhere.requests).toEqual([]);
  });

  it('does not forward hop-by-hop headers, nor those the Connection header names', async () => {
    upstream.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"timeoutSeconds":1}');
    });
    const from = upstream.requests.length;
    const delivery = deliver(app, 'call.endpointing.request', {
      headers: {
        connection: 'keep-alive, x-hop-only',
        'keep-alive': 'timeout=5',
        'x-hop-only': 'for the next hop',
        te: 'trailers',
        trailer: 'x-checksum',
        'proxy-authorization': 'Basic cHJveHk6cGFzcw==',
        upgrade: 'websocket',
      },
    });
    expect((await delivery.response).json()).toEqual({ timeoutSeconds: 1 });
    const received = await upstream.nextRequest(from);
    expect(received.signatureValid).toBe(true);
    for (const name of ['keep-alive', 'x-hop-only', 'te', 'trailer', 'proxy-authorization', 'upgrade'])
      expect(received.headers[name]).toBeUndefined();
    expect(received.headers.connection ?? '').not.toContain('x-hop-only');
    expect(received.headers['x-team-routing']).toBe('eu-west');
  });

  it('sends nothing of Callbridge’s own beyond VAPI’s headers and body', async () => {
    upstream.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"documents":[]}');
    });
    const from = upstream.requests.length;
    const delivery = deliver(app, 'knowledge-base-request');
    await delivery.response;
    const received = await upstream.nextRequest(from);

    const everything = `${received.rawHeaders.join('\n')}\n${received.body.toString('utf8')}`;
    const env = testEnv();
    for (const secret of [
      TEST_ADMIN_KEY,
      TEST_API_KEY,
      METRICS,
      env.SUPABASE_SERVICE_ROLE_KEY as string,
      env.VAPI_WEBHOOK_SECRET as string,
    ])
      expect(everything).not.toContain(secret);

    // Every header is VAPI's, or one HTTP itself needs, or one fetch adds for every request.
    const vapiHeaders = new Set(Object.keys(delivery.headers).concat('user-agent'));
    const transport = new Set(['host', 'content-length', 'connection']);
    const fetchDefaults = new Set(['accept', 'accept-language', 'accept-encoding', 'sec-fetch-mode']);
    const names = Object.keys(received.headers);
    expect(
      names.filter((name) => !vapiHeaders.has(name) && !transport.has(name) && !fetchDefaults.has(name)),
    ).toEqual([]);
    for (const [name, value] of Object.entries(delivery.headers)) expect(received.headers[name]).toBe(value);
  });

  it('refuses a VAPI_RELAY_URL with credentials at start-up, without echoing them', async () => {
    const attempt = appWith({ VAPI_RELAY_URL: 'https://team:hunter2-relay-pass@vapi.example.com/hook' });
    await expect(attempt).rejects.toThrow(/VAPI_RELAY_URL: must not contain credentials/);
    await expect(attempt).rejects.not.toThrow(/hunter2-relay-pass/);
  });

  it('refuses a source relayUrl with credentials or a non-http scheme, without echoing them', async () => {
    for (const relayUrl of [
      'https://team:hunter2-relay-pass@vapi.example.com/hook',
      'file:///etc/passwd',
      'ftp://vapi.example.com/hook',
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/sources',
        headers: adminAuth,
        payload: { name: 'hostile relay', relayUrl },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ success: false });
      expect(response.body).not.toContain('hunter2-relay-pass');
    }
  });
});
