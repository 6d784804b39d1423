import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryDb } from '../../support/database.ts';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.ts';
import { requestResponseMessage } from '../../support/request-response-messages.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';
import {
  closedPortUrl,
  startVapiServerStandIn,
  type VapiServerStandIn,
} from '../../support/vapi-server-stand-in.ts';

const METRICS_TOKEN = 'metrics-token-relay-types-1a2b';
const FAST_RETRIES = {
  METRICS_TOKEN,
  VAPI_RELAY_TYPES: 'status-update,end-of-call-report',
  VAPI_RELAY_POLL_INTERVAL_MS: '100',
  VAPI_RELAY_RETRY_BASE_MS: '50',
  VAPI_RELAY_RETRY_MAX_MS: '200',
};

const standIns: VapiServerStandIn[] = [];
const apps: TestApp[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(standIns.map((standIn) => standIn.close()));
});
async function appWith(overrides: Record<string, string>) {
  const app = await buildTestApp({ ...FAST_RETRIES, ...overrides });
  apps.push(app);
  return app;
}

function post(app: TestApp, payload: unknown) {
  const body = JSON.stringify(payload);
  const headers = vapiHmacHeaders(body);
  return {
    body,
    headers,
    response: app.inject({ method: 'POST', url: '/api/v1/vapi/webhook', payload: body, headers }),
  };
}

type OutboxRow = {
  state: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  headers: unknown;
  body: Buffer | null;
  event_type: string;
};
async function outboxRows(callId: string): Promise<OutboxRow[]> {
  return queryDb<OutboxRow>(
    `select o.state, o.attempts, o.last_status, o.last_error, o.headers, o.body, o.event_type
     from vapi_relay_outbox o join vapi_webhook_events e on e.id = o.event_id
     where e.call_id = $1 order by o.id`,
    [callId],
  );
}
async function settledRow(callId: string, state: string): Promise<OutboxRow> {
  return vi.waitFor(
    async () => {
      const [row] = await outboxRows(callId);
      if (row?.state !== state) throw new Error(`outbox row is ${row?.state ?? 'missing'}, not ${state}`);
      return row;
    },
    { timeout: 8000, interval: 50 },
  );
}
async function forwardsCounted(app: TestApp, result: 'answered' | 'failed'): Promise<number> {
  const response = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  return sampleValue(
    parsePrometheusText(response.body).samples,
    'callbridge_vapi_relay_duration_seconds_count',
    {
      type: 'status-update',
      result,
    },
  );
}
const eventStored = async (callId: string) =>
  (await queryDb('select id from vapi_webhook_events where call_id = $1', [callId])).length > 0;

describe('VAPI_RELAY_TYPES: informational types forwarded after they are stored', () => {
  let upstream: VapiServerStandIn;
  let app: TestApp;
  beforeAll(async () => {
    upstream = await standIn();
    app = await appWith({ VAPI_RELAY_URL: `${upstream.url}/hooks/vapi` });
  });
  async function standIn() {
    const started = await startVapiServerStandIn();
    standIns.push(started);
    return started;
  }

  it('forwards a stored end-of-call report with VAPI’s bytes and signature, then forgets them', async () => {
    const callId = uniqueCallId('relay-report');
    let storedFirst: boolean | undefined;
    upstream.answerWith(async (request, response) => {
      if (request.body.includes(callId)) storedFirst = await eventStored(callId);
      response.writeHead(204).end();
    });
    const from = upstream.requests.length;
    const delivery = post(app, vapiFixture('end-of-call-report', callId));
    const response = await delivery.response;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, received: 'end-of-call-report' });

    const received = await upstream.nextRequest(from);
    expect(received.signatureValid).toBe(true);
    expect(received.path).toBe('/hooks/vapi');
    // Unredacted, as VAPI sent it: the team server's signature check covers these exact bytes.
    expect(received.body.toString('utf8')).toBe(delivery.body);
    expect(received.headers['x-signature']).toBe(delivery.headers['x-signature']);

    const row = await settledRow(callId, 'delivered');
    expect(storedFirst).toBe(true);
    expect(row).toMatchObject({
      attempts: 1,
      last_status: 204,
      last_error: null,
      event_type: 'end-of-call-report',
    });
    // VAPI's credential and the unredacted body leave the database once settled.
    expect(row.headers).toBeNull();
    expect(row.body).toBeNull();
  });

  it('answers VAPI 2xx while the team server is still holding the forward', async () => {
    const callId = uniqueCallId('relay-held');
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    upstream.answerWith(async (_request, response) => {
      await held;
      response.writeHead(200).end();
    });
    const from = upstream.requests.length;
    const response = await post(app, vapiFixture('status-update-in-progress', callId)).response;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, received: 'status-update' });
    // VAPI has its answer; the forward reaches the team server after, and is held there.
    await upstream.nextRequest(from);
    const [pending] = await outboxRows(callId);
    expect(pending?.state).toBe('pending');
    release();
    await settledRow(callId, 'delivered');
  });

  it('retries after the team server answers 500, with the same bytes and signature', async () => {
    const callId = uniqueCallId('relay-retry');
    let failures = 1;
    upstream.answerWith((_request, response) => {
      if (failures-- > 0) response.writeHead(500).end('down for a moment');
      else response.writeHead(200).end();
    });
    const from = upstream.requests.length;
    const [answeredBefore, failedBefore] = [
      await forwardsCounted(app, 'answered'),
      await forwardsCounted(app, 'failed'),
    ];
    post(app, vapiFixture('status-update-ended', callId));
    const row = await settledRow(callId, 'delivered');
    expect(await forwardsCounted(app, 'failed')).toBe(failedBefore + 1);
    expect(await forwardsCounted(app, 'answered')).toBe(answeredBefore + 1);
    expect(row).toMatchObject({ attempts: 2, last_status: 200 });
    const attempts = upstream.requests.slice(from).filter((request) => request.body.includes(callId));
    expect(attempts).toHaveLength(2);
    expect(attempts.every((request) => request.signatureValid)).toBe(true);
    expect(attempts[1]?.body.equals(attempts[0]?.body as Buffer)).toBe(true);
  });

  it('does not retry a 4xx the team server means (it would refuse the same bytes again)', async () => {
    const callId = uniqueCallId('relay-refused');
    upstream.answerWith((_request, response) => {
      response.writeHead(400).end('bad');
    });
    post(app, vapiFixture('status-update-in-progress', callId));
    expect(await settledRow(callId, 'failed')).toMatchObject({ attempts: 1, last_status: 400, body: null });
  });

  it('forwards only the listed types', async () => {
    const callId = uniqueCallId('relay-unlisted');
    const response = await post(app, vapiFixture('transcript', callId)).response;
    expect(response.statusCode).toBe(200);
    expect(await outboxRows(callId)).toEqual([]);
  });

  it('keeps relaying request-response types before answering, not through the outbox', async () => {
    const callId = uniqueCallId('relay-sync');
    upstream.answerWith((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"eligible":true}');
    });
    const response = await post(app, requestResponseMessage('campaign.predial', callId)).response;
    expect(response.json()).toEqual({ eligible: true });
    expect(await outboxRows(callId)).toEqual([]);
  });
});

describe('VAPI_RELAY_TYPES with the team server down', () => {
  it('answers VAPI 2xx and stores the event, then gives up after VAPI_RELAY_MAX_AGE_SECONDS', async () => {
    const app = await appWith({ VAPI_RELAY_URL: await closedPortUrl(), VAPI_RELAY_MAX_AGE_SECONDS: '1' });
    const callId = uniqueCallId('relay-down');
    const response = await post(app, vapiFixture('status-update-in-progress', callId)).response;
    expect(response.statusCode).toBe(200);
    expect(await eventStored(callId)).toBe(true);

    const expired = await settledRow(callId, 'expired');
    expect(expired.attempts).toBeGreaterThan(1);
    expect(expired).toMatchObject({
      last_status: null,
      last_error: 'unreachable:ECONNREFUSED',
      headers: null,
      body: null,
    });
  });
});
