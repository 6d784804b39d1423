import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadKeyCache } from '../../../src/services/read-key-cache.ts';
import { SourceVerificationCache } from '../../../src/services/source-verification-cache.ts';
import {
  adminAuth,
  buildAdminTestApp,
  createTestSource,
  serviceClient,
  testSecretBox,
} from '../../support/admin.ts';
import type { TestApp } from '../../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildAdminTestApp();
});
afterAll(() => app.close());

const admin = (url: string, payload?: object) =>
  app.inject({ method: 'POST', url, headers: adminAuth, ...(payload ? { payload } : {}) });

// The clock is passed in: these check the window's edges without waiting for it.
describe('the source verification cache', () => {
  it('answers from memory inside its window and sees a disable once the window has passed', async () => {
    const source = await createTestSource(app);
    const cache = new SourceVerificationCache(serviceClient(), testSecretBox(), 5000);
    const t0 = Date.now();
    const before = await cache.get(source.id, t0);
    expect(before).toMatchObject({ mode: 'hmac' });

    expect((await admin(`/api/v1/admin/sources/${source.id}/disable`)).statusCode).toBe(200);
    expect(await cache.get(source.id, t0 + 4999)).toBe(before);
    expect(await cache.get(source.id, t0 + 5000)).toBeNull();
  });

  it('reads the database every time with a window of 0', async () => {
    const source = await createTestSource(app);
    const cache = new SourceVerificationCache(serviceClient(), testSecretBox(), 0);
    const t0 = Date.now();
    expect(await cache.get(source.id, t0)).not.toBeNull();
    await admin(`/api/v1/admin/sources/${source.id}/disable`);
    expect(await cache.get(source.id, t0)).toBeNull();
  });
});

describe('the read key cache', () => {
  it('keeps a resolved key for its window, so a revocation takes effect when it ends', async () => {
    const source = await createTestSource(app);
    const created = (
      await admin('/api/v1/admin/read-keys', { name: 'cached', sourceIds: [source.id] })
    ).json().data as { id: string; key: string };
    const cache = new ReadKeyCache(serviceClient(), 10_000);
    const t0 = Date.now();
    expect(await cache.resolve(created.key, t0)).toEqual({
      keyId: created.id,
      sourceIds: [source.id],
      mayWrite: false,
    });

    expect((await admin(`/api/v1/admin/read-keys/${created.id}/revoke`)).statusCode).toBe(200);
    expect(await cache.resolve(created.key, t0 + 9999)).toEqual({
      keyId: created.id,
      sourceIds: [source.id],
      mayWrite: false,
    });
    expect(await cache.resolve(created.key, t0 + 10_000)).toBeNull();
  });

  it('answers null without a lookup for a token that is not a read key', async () => {
    const cache = new ReadKeyCache(serviceClient(), 10_000);
    expect(await cache.resolve('cb_test_key_5f1e2d3c4b5a6978')).toBeNull();
  });
});
