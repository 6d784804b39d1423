import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { traceLogFields } from '../../../src/lib/with-span.ts';
import { getCall, postWebhook, testEnv } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

type App = Awaited<ReturnType<typeof buildApp>>;

const exporter = new InMemorySpanExporter();
const lines: Record<string, unknown>[] = [];
let app: App;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  app = await buildApp(loadConfig(testEnv({ LOG_LEVEL: 'info' })), {
    logger: { level: 'info', stream, mixin: traceLogFields },
    spanExporter: exporter,
  });
  await app.ready();
});
afterAll(() => app.close());

const named = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

it('traces one signed webhook: the request under its route template, verify and store as its children', async () => {
  exporter.reset();
  const callId = uniqueCallId('traced');
  const response = await postWebhook(app, vapiFixture('end-of-call-report', callId));
  expect(response.statusCode).toBe(200);
  expect((await getCall(app, callId)).statusCode).toBe(200);

  const [request] = named('POST /api/v1/vapi/webhook');
  expect(request).toBeDefined();
  if (!request) return;
  expect(request.attributes['http.route']).toBe('/api/v1/vapi/webhook');
  expect(request.resource.attributes['service.name']).toBe('callbridge');
  const traceId = request.spanContext().traceId;

  const inTrace = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const verify = inTrace.find((span) => span.name === 'webhook.verify');
  const store = inTrace.find((span) => span.name === 'webhook.store');
  const batch = inTrace.find((span) => span.name === 'webhook.store.batch');
  expect(verify?.attributes).toMatchObject({
    'callbridge.webhook.auth': 'hmac',
    'callbridge.webhook.verified': true,
  });
  expect(store?.attributes).toMatchObject({
    'callbridge.event.type': 'end-of-call-report',
    'callbridge.store.outcome': 'stored',
  });
  expect(batch?.attributes['callbridge.batch.size']).toBe(1);
  // verify and store run inside the request (verify under the preValidation hook's span); the batch under the store.
  const ancestors = (span: ReadableSpan | undefined) => {
    const ids: string[] = [];
    for (let id = span && parentOf(span); id; ) {
      ids.push(id);
      const parent = inTrace.find((candidate) => candidate.spanContext().spanId === id);
      id = parent && parentOf(parent);
    }
    return ids;
  };
  expect(ancestors(verify)).toContain(request.spanContext().spanId);
  expect(ancestors(store)).toContain(request.spanContext().spanId);
  expect(ancestors(batch)).toContain(store?.spanContext().spanId);
  expect(batch?.links.map((link) => link.context.spanId)).toEqual([store?.spanContext().spanId]);

  // The handler's log line carries the ids of the trace it was written in.
  const processed = lines.find((line) => line.msg === 'webhook processed' && line.callId === callId);
  expect(processed?.trace_id).toBe(traceId);
  expect(typeof processed?.span_id).toBe('string');
});

it('continues the trace a caller sends in traceparent', async () => {
  exporter.reset();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const body = JSON.stringify(vapiFixture('end-of-call-report', uniqueCallId('parent')));
  const { vapiHmacHeaders } = await import('../../support/sign-webhook.ts');
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/vapi/webhook',
    payload: body,
    headers: { ...vapiHmacHeaders(body), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  expect(response.statusCode).toBe(200);
  expect(named('POST /api/v1/vapi/webhook')[0]?.spanContext().traceId).toBe(traceId);
});

it('marks a refused signature on the verify span', async () => {
  exporter.reset();
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/vapi/webhook',
    payload: '{"message":{"type":"status-update"}}',
    headers: {
      'content-type': 'application/json',
      'x-signature': 'f'.repeat(64),
      'x-timestamp': `${Date.now()}`,
    },
  });
  expect(response.statusCode).toBe(401);
  expect(named('webhook.verify')[0]?.attributes['callbridge.webhook.verified']).toBe(false);
  expect(named('webhook.store')).toHaveLength(0);
});

it('does not trace the probes', async () => {
  exporter.reset();
  for (const url of ['/health', '/ready', '/metrics', '/health?x=1'])
    await app.inject({ method: 'GET', url });
  await app.inject({ method: 'GET', url: '/docs/json' });
  const names = exporter.getFinishedSpans().map((span) => span.name);
  expect(names.some((name) => /health|ready|metrics/.test(name))).toBe(false);
  expect(names).toContain('GET /docs/json');
});
