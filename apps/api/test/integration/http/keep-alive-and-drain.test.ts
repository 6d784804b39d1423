import { Agent } from 'node:http';
import type { Socket } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { startWebhook } from '../../support/spawned-api.ts';
import { buildTestApp, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

/**
 * VAPI reuses its connections; a rolling deploy closes them. app.inject has no connection, so neither
 * shows there. The process-level shutdown (SIGTERM to the production entry and to scripts/dev, a
 * burst in flight, every one stored) is proven in test/integration/process/shutdown-drain.test.ts;
 * this file covers what it does not: one keep-alive connection, and what plugins/lifecycle.ts promises
 * while draining (`connection: close` on every answer, so no idle socket holds the close up).
 */

let app: TestApp | undefined;
const agents: Agent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await app?.close();
  app = undefined;
});

async function listening() {
  app = await buildTestApp();
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => sockets.add(socket));
  return { app, base, sockets };
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

function deliver(base: string, agent: Agent, payload: unknown) {
  const body = JSON.stringify(payload);
  return request(base).post('/api/v1/vapi/webhook').agent(agent).set(vapiHmacHeaders(body)).send(body);
}

async function readCall(base: string, callId: string) {
  return request(base)
    .get(`/api/v1/vapi/calls/${encodeURIComponent(callId)}`)
    .set('authorization', `Bearer ${TEST_API_KEY}`);
}

describe('keep-alive and drain over real connections', () => {
  it('stores every delivery sent one after another over ONE keep-alive connection', async () => {
    const { base, sockets } = await listening();
    const agent = keepAliveAgent();
    const callIds = Array.from({ length: 5 }, () => uniqueCallId('keep-alive'));

    for (const callId of callIds) {
      const response = await deliver(base, agent, vapiFixture('end-of-call-report', callId));
      expect(response.status).toBe(200);
      expect(response.headers.connection).toBe('keep-alive');
    }

    expect(sockets.size).toBe(1);
    for (const callId of callIds) {
      const read = await readCall(base, callId);
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({
        callId,
        finalReason: 'end-of-call-report',
        durationSeconds: 330,
      });
    }
  });

  it('while draining, still stores and answers 2xx but with `connection: close`, and the socket closes', async () => {
    const { app, base, sockets } = await listening();
    const agent = keepAliveAgent();
    const before = uniqueCallId('before-drain');
    expect((await deliver(base, agent, vapiFixture('hang', before))).headers.connection).toBe('keep-alive');
    const [socket] = [...sockets];
    const closed = new Promise<void>((resolve) => socket?.once('close', () => resolve()));

    app.lifecycle.startDraining();
    const during = uniqueCallId('during-drain');
    const response = await deliver(base, agent, vapiFixture('end-of-call-report', during));

    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe('close');
    // The same connection carried it, and the server ended it after the answer.
    expect(sockets.size).toBe(1);
    await closed;
    expect((await readCall(base, during)).body.data).toMatchObject({
      callId: during,
      finalReason: 'end-of-call-report',
    });
  });

  it('on app.close() lets a delivery already in flight finish 2xx and stored, then refuses new connections', async () => {
    const { app, base } = await listening();
    const callId = uniqueCallId('in-flight-close');
    // Headers and half the body are on the wire: accepted, still being read.
    const inFlight = await startWebhook(base, vapiFixture('end-of-call-report', callId));

    app.lifecycle.startDraining();
    const closing = app.close();
    const answer = await inFlight.finish();
    await closing;

    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ success: true, received: 'end-of-call-report' });
    await expect(request(base).get('/health')).rejects.toThrow(/ECONNREFUSED/);

    // Read back through a fresh app on the same database.
    const reader = await buildTestApp();
    try {
      const read = await reader.inject({
        method: 'GET',
        url: `/api/v1/vapi/calls/${encodeURIComponent(callId)}`,
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
      });
      expect(read.statusCode).toBe(200);
      expect(read.json().data).toMatchObject({ callId, finalReason: 'end-of-call-report' });
    } finally {
      await reader.close();
    }
  });
});
