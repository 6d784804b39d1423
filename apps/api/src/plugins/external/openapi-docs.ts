import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export interface OpenApiDocsOptions {
  signatureHeader: string;
  secretHeader: string;
  /** VAPI_BEARER_HEADER: with another header than Authorization the scheme is an apiKey header. */
  bearerHeader?: string;
}

function vapiBearerScheme(headerName: string) {
  const description =
    'VAPI bearer credential (VAPI_WEBHOOK_AUTH=bearer): the token in VAPI_BEARER_HEADER, prefixed with "Bearer " unless VAPI_BEARER_PREFIX_ENABLED=false';
  if (headerName.toLowerCase() === 'authorization')
    return { type: 'http' as const, scheme: 'bearer', description };
  return { type: 'apiKey' as const, in: 'header' as const, name: headerName, description };
}

export function swaggerUiPolicy(policy: string): string {
  return policy.replace(/style-src 'self'(?=;|$)/, "style-src 'self' 'unsafe-inline'");
}

/** The OpenAPI document is generated from the routes' zod schemas; `/docs` renders it, `/docs/json` serves it. */
export const openApiDocsPlugin = fp<OpenApiDocsOptions>(
  async (app, options) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Callbridge API',
          description:
            'Receives signed VAPI server messages, stores each call result in Supabase, and serves results to Kestra workflows. Errors always have the shape `{ success: false, error, message }`, with `requestId` on 5xx.',
          version: '1.0.0',
        },
        tags: [
          { name: 'webhooks', description: 'Where VAPI posts server messages' },
          { name: 'calls', description: 'Call results for workflows; need an API key' },
          {
            name: 'operations',
            description: 'The webhook delivery log and replay, for operators; need an API key',
          },
          {
            name: 'admin',
            description:
              'Sources and scoped read keys; need an admin key (present only when ADMIN_API_KEYS is set)',
          },
          { name: 'health', description: 'Liveness and readiness probes' },
          { name: 'development', description: 'Local helpers, on only with SIMULATOR_ENABLED=true' },
        ],
        components: {
          securitySchemes: {
            apiKey: {
              type: 'http',
              scheme: 'bearer',
              description: 'One of the keys in API_KEYS: `Authorization: Bearer <key>`',
            },
            adminKey: {
              type: 'http',
              scheme: 'bearer',
              description: 'One of the keys in ADMIN_API_KEYS: `Authorization: Bearer <key>`',
            },
            metricsToken: {
              type: 'http',
              scheme: 'bearer',
              description: 'METRICS_TOKEN, when set: `Authorization: Bearer <token>`',
            },
            vapiHmac: {
              type: 'apiKey',
              in: 'header',
              name: options.signatureHeader,
              description:
                'VAPI HMAC credential (VAPI_WEBHOOK_AUTH=hmac): signature of "{timestamp}.{body}" with the timestamp header, both set by VAPI',
            },
            vapiSecret: {
              type: 'apiKey',
              in: 'header',
              name: options.secretHeader,
              description: 'Legacy shared secret (VAPI_WEBHOOK_AUTH=secret)',
            },
            vapiBearer: vapiBearerScheme(options.bearerHeader ?? 'Authorization'),
            vapiOAuth2: {
              type: 'oauth2',
              description:
                'VAPI oauth2 credential (VAPI_WEBHOOK_AUTH=oauth2, or a source with verification mode oauth2): VAPI gets a token with the client credentials grant and sends `Authorization: Bearer <token>`. The token URL of a source is /api/v1/vapi/sources/{sourceId}/oauth/token.',
              flows: { clientCredentials: { tokenUrl: '/api/v1/vapi/oauth/token', scopes: {} } },
            },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      // Swagger UI injects a <style> element at run time: its pages alone allow inline styles (never scripts).
      transformStaticCSP: swaggerUiPolicy,
    });
  },
  { name: 'openapi-docs' },
);
