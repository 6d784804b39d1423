import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { testEnv } from '../../support/test-app.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: Awaited<ReturnType<typeof buildApp>>;
const lines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp(loadConfig(testEnv({ LOG_LEVEL: 'info' })), { logger: { level: 'info', stream } });
  await app.ready();
});
afterAll(() => app?.close());

const get = (requestId: string) =>
  app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': requestId } });

describe('a client-supplied x-request-id', () => {
  it('is kept when it is short and plain, so a trace can cross services', async () => {
    for (const id of ['abc-123', 'trace.4f2a:span_9', 'A'.repeat(64)]) {
      expect((await get(id)).headers['x-request-id']).toBe(id);
    }
  });

  it('of 10 KB is replaced by ours, and logged truncated', async () => {
    const huge = 'a'.repeat(10_240);
    const response = await get(huge);
    expect(response.statusCode).toBe(200);
    const ours = response.headers['x-request-id'] as string;
    expect(ours).toMatch(UUID);
    const refused = lines
      .map((line) => JSON.parse(line))
      .find((line) => line.reqId === ours && line.refusedRequestId);
    expect(refused).toMatchObject({ refusedRequestIdLength: 10_240 });
    expect(refused.refusedRequestId).toHaveLength(128);
    expect(lines.join('\n').includes(huge)).toBe(false);
  });

  it('that tries to inject a log line or a header is replaced by ours, and logged on one escaped line', async () => {
    const injected = 'abc\n{"level":50,"msg":"forged"}\r\nset-cookie: session=stolen';
    const response = await get(injected);
    expect(response.statusCode).toBe(200);
    const ours = response.headers['x-request-id'] as string;
    expect(ours).toMatch(UUID);
    expect(response.headers['set-cookie']).toBeUndefined();
    // Every log line is one JSON object: the newline did not start a line of its own.
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed.some((line) => line.msg === 'forged')).toBe(false);
    expect(parsed.find((line) => line.reqId === ours && line.refusedRequestId)?.refusedRequestId).toBe(
      injected,
    );
  });

  it('with characters outside the safe set, or empty, is replaced by ours', async () => {
    for (const id of ['', 'has space', 'semi;colon', 'ünïcode', '<script>', 'a'.repeat(65)]) {
      const response = await get(id);
      expect(response.headers['x-request-id'], JSON.stringify(id)).toMatch(UUID);
    }
  });
});
