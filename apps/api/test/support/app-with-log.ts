import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { testEnv } from './test-app.ts';

/** An app on the run's stack whose log lines are kept, to check what it says and what it never says. */
export async function appWithLog(overrides: Record<string, string>) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = await buildApp(loadConfig(testEnv({ LOG_LEVEL: 'info', ...overrides })), {
    logger: { level: 'info', stream },
  });
  await app.ready();
  return { app, log: () => lines.join('') };
}
