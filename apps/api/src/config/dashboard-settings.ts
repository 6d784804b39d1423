import { z } from 'zod';

/** The dashboard's build and the local call simulator. */
export const dashboardEnv = z.object({
  // POST /api/v1/dev/simulate-call plays a signed fake VAPI call; scripts/dev turns it on.
  SIMULATOR_ENABLED: z.stringbool().default(false),
  // The dashboard's build, served at /dashboard; unset means apps/dashboard/dist of this checkout.
  DASHBOARD_DIR: z.string().min(1).optional(),
});

export const dashboardSettings = dashboardEnv.transform((env) => ({
  simulatorEnabled: env.SIMULATOR_ENABLED,
  /** Unset: apps/dashboard/dist of this checkout (plugins/external/dashboard-static.ts). */
  dir: env.DASHBOARD_DIR,
}));

export type DashboardSettings = z.output<typeof dashboardSettings>;
