import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/load-config.ts';
import { buildMetricsServer } from './metrics-server.ts';

export interface RunServerOptions {
  /** Runs after the server has closed, e.g. to stop a local Supabase stack. */
  afterClose?: () => Promise<void>;
}

/** Owns the process: config, listen, and a graceful shutdown on SIGINT/SIGTERM or a crash. */
export async function runServer(env: NodeJS.ProcessEnv, options: RunServerOptions = {}) {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      await options.afterClose?.();
      process.exit(1);
    }
    throw error;
  }

  const app = await buildApp(config);
  const metrics =
    config.observability.metrics.port === undefined ? undefined : await buildMetricsServer(app, config);
  // Drain, then stop: /ready turns 503 at once, requests keep being served for the drain delay while
  // load balancers notice, then the server stops accepting, finishes what is in flight (a webhook in a
  // store retry included) and only then does afterClose stop what the API needs (the local stack).
  closeWithGrace({ delay: config.server.shutdown.timeoutMs }, async ({ signal, err }) => {
    app.lifecycle.startDraining();
    if (err) app.log.error({ err }, 'shutting down after an unexpected error');
    else {
      app.log.info({ signal, drainDelayMs: config.server.shutdown.drainDelayMs }, 'draining before shutdown');
      await sleep(config.server.shutdown.drainDelayMs);
    }
    await app.close();
    await options.afterClose?.();
    app.log.info('stopped');
  });
  const { host, port } = config.server;
  await app.listen({ host, port });
  const metricsListener = config.observability.metrics;
  if (metrics && metricsListener.port !== undefined) {
    await metrics.listen({ host: metricsListener.host ?? host, port: metricsListener.port });
  }
  return app;
}
