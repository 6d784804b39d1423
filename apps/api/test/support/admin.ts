import { randomBytes } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { inject } from 'vitest';
import { createSecretBox } from '../../src/lib/secret-box.ts';
import { type IngestEndpoint, ingestEndpoint } from '../../src/services/store-vapi-events.ts';
import { buildTestApp, type TestApp } from './test-app.ts';

export const TEST_ADMIN_KEY = 'cb_admin_test_key_9a8b7c6d5e4f3a2b';
export const TEST_SOURCE_SECRETS_KEY = Buffer.alloc(32, 42).toString('base64');
export const adminAuth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

/** An app with the admin API on. */
export function buildAdminTestApp(overrides: Record<string, string> = {}) {
  return buildTestApp({
    ADMIN_API_KEYS: TEST_ADMIN_KEY,
    SOURCE_SECRETS_KEY: TEST_SOURCE_SECRETS_KEY,
    ...overrides,
  });
}

export const testSecretBox = () => createSecretBox(Buffer.from(TEST_SOURCE_SECRETS_KEY, 'base64'));

/** A service-role client on the run's stack, for calling services directly. */
export function serviceClient() {
  const supabase = inject('supabase');
  return createClient(supabase.url, supabase.serviceRoleKey, { auth: { persistSession: false } });
}

/** The run's stack's ingest endpoint, for storing events the way the webhook route does. */
export function serviceIngestEndpoint(): IngestEndpoint {
  const supabase = inject('supabase');
  return ingestEndpoint(supabase.url, supabase.serviceRoleKey);
}

export async function createTestSource(app: TestApp, body: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/sources',
    headers: adminAuth,
    payload: { name: `source ${randomBytes(4).toString('hex')}`, ...body },
  });
  if (response.statusCode !== 201)
    throw new Error(`creating a source: ${response.statusCode} ${response.body}`);
  return response.json().data as { id: string; secret: string; webhookUrl: string } & Record<string, unknown>;
}

/** A read key scoped to these sources, created through the admin API: its id and the key (shown once). */
export async function createScopedReadKey(
  app: TestApp,
  sourceIds: string[],
  access: 'read' | 'read+write' = 'read',
): Promise<{ id: string; key: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/read-keys',
    headers: adminAuth,
    payload: { name: 'scoped', sourceIds, access },
  });
  if (response.statusCode !== 201) throw new Error(`creating a read key: ${response.body}`);
  return response.json().data;
}
