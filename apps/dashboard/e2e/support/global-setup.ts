import type { TestProject } from 'vitest/node';
import { E2E_ADMIN_KEY, startDashboardServer } from './dashboard-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    callbridge: { url: string; apiKey: string; adminKey: string; dbUrl: string };
  }
}

/** One Callbridge (and stack) for the browser tests; each test writes its own call ids. */
export default async function setup(project: TestProject) {
  const callbridge = await startDashboardServer();
  project.provide('callbridge', {
    url: callbridge.url,
    apiKey: callbridge.apiKey,
    adminKey: E2E_ADMIN_KEY,
    dbUrl: callbridge.stack.dbUrl,
  });
  return () => callbridge.stop();
}
