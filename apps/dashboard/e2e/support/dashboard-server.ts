import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type RunningCallbridge, startCallbridge } from '@callbridge/api/testing';

/** The browser tests' admin key (ADMIN_API_KEYS); the read key is the API's own test key. */
export const E2E_ADMIN_KEY = 'cb_e2e_admin_key_7c6b5a4938271605';

export const DASHBOARD_DIST = fileURLToPath(new URL('../../dist', import.meta.url));

/**
 * Callbridge over its own local Supabase stack, serving the dashboard build as users get it, with the
 * simulator and the admin API on. The build must exist: the package's test and screenshots scripts run `vite build` first.
 */
export async function startDashboardServer(): Promise<RunningCallbridge> {
  if (!existsSync(`${DASHBOARD_DIST}/index.html`)) {
    throw new Error(`No dashboard build in ${DASHBOARD_DIST}: run pnpm --filter @callbridge/dashboard build`);
  }
  return startCallbridge({
    SIMULATOR_ENABLED: 'true',
    DASHBOARD_DIR: DASHBOARD_DIST,
    CALL_STREAM_POLL_INTERVAL_MS: '500',
    ADMIN_API_KEYS: E2E_ADMIN_KEY,
    SOURCE_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  });
}
