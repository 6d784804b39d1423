import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type RunningCallbridge, startCallbridge } from '@callbridge/api/testing';

export const DASHBOARD_DIST = fileURLToPath(new URL('../../dist', import.meta.url));

/**
 * Callbridge over its own local Supabase stack, serving the dashboard build as users get it, with the
 * simulator on. The build must exist: the package's test and screenshots scripts run `vite build` first.
 */
export async function startDashboardServer(): Promise<RunningCallbridge> {
  if (!existsSync(`${DASHBOARD_DIST}/index.html`)) {
    throw new Error(`No dashboard build in ${DASHBOARD_DIST}: run pnpm --filter @callbridge/dashboard build`);
  }
  return startCallbridge({
    SIMULATOR_ENABLED: 'true',
    DASHBOARD_DIR: DASHBOARD_DIST,
    CALL_STREAM_POLL_INTERVAL_MS: '500',
  });
}
