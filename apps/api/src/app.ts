import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppConfig } from './config/config-schema.ts';
import { loggerOptions } from './logger-options.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { openApiDocsPlugin } from './plugins/openapi-docs.ts';
import { supabasePlugin } from './plugins/supabase.ts';
import { healthRoutes } from './routes/health-routes.ts';

export interface BuildAppOptions {
  /** Replaces the pino options derived from config (tests pass `false` or a stream). */
  logger?: FastifyServerOptions['logger'];
}

/** Builds the whole app without listening: the process entry (server.ts) and the tests share it. */
export async function buildApp(config: AppConfig, options: BuildAppOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorHandlerPlugin);
  await app.register(openApiDocsPlugin);
  // Routes opt in with `config.rateLimit`; probes stay unlimited for load balancers.
  await app.register(rateLimit, { global: false });
  await app.register(supabasePlugin, {
    url: config.SUPABASE_URL,
    serviceRoleKey: config.SUPABASE_SERVICE_ROLE_KEY,
    timeoutMs: config.SUPABASE_TIMEOUT_MS,
  });

  await app.register(healthRoutes);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
