import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from './app.ts';
import type { AppConfig } from './config/config-schema.ts';
import { requestIdFor } from './lib/request-id.ts';
import { authFailureLimitPlugin } from './plugins/auth-failure-limit.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { metricsRoutes } from './routes/metrics-routes.ts';

/**
 * The listener METRICS_PORT asks for: GET /metrics of the app and nothing else, so the public port
 * can stay without it and the scrape port kept off the load balancer. Build it before the app is
 * ready (it closes with the app); it is not listening yet.
 */
export async function buildMetricsServer(app: App, config: Pick<AppConfig, 'reads' | 'observability'>) {
  const server = Fastify({
    loggerInstance: app.log.child({ listener: 'metrics' }),
    trustProxy: false,
    genReqId: requestIdFor,
  }).withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  server.decorate('metricsRegistry', app.metricsRegistry);
  await server.register(errorHandlerPlugin);
  await server.register(authFailureLimitPlugin, config.reads);
  await server.register(metricsRoutes, config.observability.metrics);
  app.addHook('onClose', () => server.close());
  return server;
}
