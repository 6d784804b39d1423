import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../src/lib/secret-box.ts';
import { reencryptSourceSecrets } from '../../../src/services/source-secret-service.ts';
import { findActiveSourceVerification } from '../../../src/services/source-service.ts';
import { adminAuth, buildAdminTestApp, createTestSource, serviceClient } from '../../support/admin.ts';
import { queryDb } from '../../support/database.ts';

// Keys of this file only: the run's other tests seal with TEST_SOURCE_SECRETS_KEY, which this ring
// does not hold, so their secrets count as undecryptable here and are left alone.
const oldKey = randomBytes(32);
const newKey = randomBytes(32);
type App = Awaited<ReturnType<typeof buildAdminTestApp>>;
let before: App;
let after: App;
beforeAll(async () => {
  before = await buildAdminTestApp({ SOURCE_SECRETS_KEY: oldKey.toString('base64') });
  after = await buildAdminTestApp({
    SOURCE_SECRETS_KEY: newKey.toString('base64'),
    SOURCE_SECRETS_PREVIOUS_KEYS: oldKey.toString('base64'),
  });
});
afterAll(async () => {
  await before.close();
  await after.close();
});

describe('rotating SOURCE_SECRETS_KEY', () => {
  it('re-encrypts secrets under the previous key so the old key can be dropped', async () => {
    const db = serviceClient();
    const source = await createTestSource(before, { verification: { mode: 'bearer' } });
    const sealedBefore = await queryDb<{ encrypted_secret: string }>(
      'select encrypted_secret from vapi_source_secrets where source_id = $1',
      [source.id],
    );

    const first = await after.inject({
      method: 'POST',
      url: '/api/v1/admin/sources/reencrypt',
      headers: adminAuth,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().data.reencrypted).toBeGreaterThanOrEqual(1);
    const sealedAfter = await queryDb<{ encrypted_secret: string }>(
      'select encrypted_secret from vapi_source_secrets where source_id = $1',
      [source.id],
    );
    expect(sealedAfter[0]?.encrypted_secret).not.toBe(sealedBefore[0]?.encrypted_secret);
    expect(sealedAfter[0]?.encrypted_secret).not.toContain(source.secret);

    // Only the new key left: the secret still opens.
    const newOnly = createSecretBox(newKey);
    expect(await findActiveSourceVerification(db, newOnly, source.id, new Date())).toEqual({
      mode: 'bearer',
      headerName: 'Authorization',
      prefixEnabled: true,
      tokens: [source.secret],
      relayUrl: null,
    });
    expect(() =>
      createSecretBox(oldKey).open(
        sealedAfter[0]?.encrypted_secret ?? '',
        `vapi_source_secrets:${source.id}`,
      ),
    ).toThrow();

    const repeat = await reencryptSourceSecrets(db, createSecretBox(newKey, [oldKey]));
    expect(repeat.reencrypted).toBe(0);
    expect(repeat.checked).toBeGreaterThanOrEqual(1);
  });
});
