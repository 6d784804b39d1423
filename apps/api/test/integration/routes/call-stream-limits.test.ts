import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, buildAdminTestApp, createScopedReadKey, createTestSource } from '../../support/admin.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import type { TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const KEY_CACHE_MS = 1000;
const MAX_PER_KEY = 2;

let app: TestApp;
let url: string;
let source: { id: string; secret: string; webhookUrl: string };
beforeAll(async () => {
  app = await buildAdminTestApp({
    READ_KEY_CACHE_MS: String(KEY_CACHE_MS),
    CALL_STREAM_MAX_PER_KEY: String(MAX_PER_KEY),
    CALL_STREAM_MAX_BUFFER_BYTES: '1024',
    CALL_STREAM_POLL_INTERVAL_MS: '100',
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  source = await createTestSource(app);
});
afterAll(() => app?.close());

interface OpenStream {
  status: number;
  /** Resolves with the time the server ended the stream. */
  ended: Promise<number>;
  close(): void;
}

async function openStream(key: string): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/v1/vapi/calls/stream`, {
    headers: { authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    return { status: response.status, ended: Promise.resolve(Date.now()), close: () => undefined };
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // aborted by close()
    }
    return Date.now();
  })();
  return { status: 200, ended, close: () => controller.abort() };
}

async function postToSource(payload: unknown) {
  const body = JSON.stringify(payload);
  const response = await app.inject({
    method: 'POST',
    url: new URL(source.webhookUrl).pathname,
    payload: body,
    headers: vapiHmacHeaders(body, { secret: source.secret }),
  });
  expect(response.statusCode).toBe(200);
}

describe('GET /calls/stream and revocation', () => {
  it('ends a stream whose read key is revoked through the admin API within the stated bound', async () => {
    const key = await createScopedReadKey(app, [source.id]);
    const stream = await openStream(key.key);
    expect(stream.status).toBe(200);

    const revokedAt = Date.now();
    const revoked = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/read-keys/${key.id}/revoke`,
      headers: adminAuth,
    });
    expect(revoked.statusCode).toBe(200);
    const endedAt = await stream.ended;
    // The bound the route and docs/operations.md state: READ_KEY_CACHE_MS, at least a second, plus one lookup.
    expect(endedAt - revokedAt).toBeLessThan(KEY_CACHE_MS + 1000);

    // And the key opens no new one.
    expect((await openStream(key.key)).status).toBe(401);
  });

  it('ends a stream whose key loses a source (the source deleted), within the same bound', async () => {
    const doomed = await createTestSource(app);
    const key = await createScopedReadKey(app, [source.id, doomed.id]);
    const stream = await openStream(key.key);
    expect(stream.status).toBe(200);

    const deletedAt = Date.now();
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/sources/${doomed.id}?confirm=${doomed.id}`,
      headers: adminAuth,
    });
    expect(deleted.statusCode).toBe(200);
    expect((await stream.ended) - deletedAt).toBeLessThan(KEY_CACHE_MS + 1000);
    // Reconnecting gets the new scope.
    const reopened = await openStream(key.key);
    expect(reopened.status).toBe(200);
    reopened.close();
  });

  it('says the bound on the revoke route in /docs', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    const revoke = document.paths['/api/v1/admin/read-keys/{keyId}/revoke'].post;
    expect(revoke.description).toContain('within 1 s');
    const stream = document.paths['/api/v1/vapi/calls/stream'].get;
    expect(stream.description).toContain('CALL_STREAM_MAX_PER_KEY');
  });
});

describe('GET /calls/stream and one key', () => {
  it(`opens at most ${MAX_PER_KEY} streams per key, answers the next 429, and frees the slot when one closes`, async () => {
    const key = await createScopedReadKey(app, [source.id]);
    const other = await createScopedReadKey(app, [source.id]);
    const streams = [await openStream(key.key), await openStream(key.key)];
    expect(streams.map((stream) => stream.status)).toEqual([200, 200]);

    const refused = await fetch(`${url}/api/v1/vapi/calls/stream`, {
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ success: false, error: 'Too Many Requests' });
    // Another key has its own allowance.
    const otherStream = await openStream(other.key);
    expect(otherStream.status).toBe(200);

    streams[0]?.close();
    await streams[0]?.ended;
    let reopened: OpenStream | undefined;
    for (let attempt = 0; attempt < 50 && reopened?.status !== 200; attempt++) {
      reopened = await openStream(key.key);
      if (reopened.status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(reopened?.status).toBe(200);
    for (const stream of [streams[1], otherStream, reopened]) stream?.close();
  });
});

describe('GET /calls/stream and a client that never reads', () => {
  it('is dropped by the server once its unsent data passes CALL_STREAM_MAX_BUFFER_BYTES', async () => {
    const key = await createScopedReadKey(app, [source.id]);
    const { port } = new URL(url);
    const socket: Socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `GET /api/v1/vapi/calls/stream HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${key.key}\r\n\r\n`,
    );
    let received = '';
    socket.setEncoding('utf8');
    const onData = (chunk: string) => {
      received += chunk;
    };
    socket.on('data', onData);
    while (!received.includes('event: ready')) await once(socket, 'data');
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    // From now on the client reads nothing: what the server sends piles up in the kernel, then in Node.
    socket.off('data', onData);
    socket.pause();
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });

    // Calls with long summaries, in the key's source: each one a large event on the stream.
    const summary = 'x'.repeat(400_000);
    for (let index = 0; index < 40; index++) {
      const report = vapiFixture('end-of-call-report', uniqueCallId('slow-reader')) as {
        message: { analysis?: { summary?: string }; summary?: string };
      };
      if (report.message.analysis) report.message.analysis.summary = summary;
      report.message.summary = summary;
      await postToSource(report);
      // The server frees the key's slot when it drops the stream: with a cap of 2, two more open.
      const probes = [await openStream(key.key), await openStream(key.key)];
      for (const probe of probes) probe.close();
      if (probes.every((probe) => probe.status === 200)) break;
      if (index === 39) throw new Error('the stream of a client that never reads was never dropped');
    }

    // The client, which never read, finds the connection closed by the server.
    socket.resume();
    if (!closed) await once(socket, 'close');
    expect(closed || socket.destroyed).toBe(true);
  });
});
