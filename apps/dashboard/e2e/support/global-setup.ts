import type { TestProject } from 'vitest/node';
import { startDashboardServer } from './dashboard-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    callbridge: { url: string; apiKey: string; dbUrl: string };
  }
}

/** One Callbridge (and stack) for the browser tests; each test writes its own call ids. */
export default async function setup(project: TestProject) {
  const callbridge = await startDashboardServer();
  project.provide('callbridge', {
    url: callbridge.url,
    apiKey: callbridge.apiKey,
    dbUrl: callbridge.stack.dbUrl,
  });
  return () => callbridge.stop();
}
