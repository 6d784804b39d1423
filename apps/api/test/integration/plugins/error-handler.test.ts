import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import { buildTestApp } from '../../support/test-app.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

describe('error responses', () => {
  it('shapes an unknown route as a 404 without echoing the query string', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope?token=abc' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      success: false,
      error: 'Not Found',
      message: 'Route GET /nope not found',
    });
  });

  it('echoes a caller-supplied request id and makes one up otherwise', async () => {
    const given = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await app.inject({ method: 'GET', url: '/health' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
