import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** The OpenAPI document is generated from the routes' zod schemas; `/docs` renders it, `/docs/json` serves it. */
export const openApiDocsPlugin = fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Callbridge API',
          description:
            'Receives signed VAPI server messages, stores each call result in Supabase, and serves results to Kestra workflows.',
          version: '1.0.0',
        },
        tags: [{ name: 'health', description: 'Liveness and readiness probes' }],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  },
  { name: 'openapi-docs' },
);
