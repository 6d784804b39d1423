import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import { buildAdminTestApp } from '../../support/admin.ts';
import { buildTestApp } from '../../support/test-app.ts';

let app: App;
let document: OpenAPIV3_1.Document;
beforeAll(async () => {
  app = await buildTestApp();
  document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(() => app.close());

describe('API documentation', () => {
  it('serves a valid OpenAPI document at /docs/json', async () => {
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
  });

  it('gives every read route the API-key scheme and the 401, 429 and 503 answers of its scope', () => {
    const readPaths = Object.entries(document.paths ?? {}).filter(([path]) =>
      /^\/api\/v1\/vapi\/(calls|events|stats)/.test(path),
    );
    expect(readPaths.length).toBeGreaterThanOrEqual(8);
    for (const [path, item] of readPaths) {
      for (const method of ['get', 'post', 'delete'] as const) {
        const operation = item?.[method];
        if (!operation) continue;
        expect(operation.security, `${method} ${path}`).toEqual([{ apiKey: [] }]);
        expect(Object.keys(operation.responses ?? {}), `${method} ${path}`).toEqual(
          expect.arrayContaining(['200', '401', '429', '503']),
        );
      }
    }
  });

  it('documents every route', () => {
    expect(Object.keys(document.paths ?? {}).sort()).toEqual([
      '/api/v1/vapi/calls',
      '/api/v1/vapi/calls/by-phone/{phone}',
      '/api/v1/vapi/calls/stream',
      '/api/v1/vapi/calls/{callId}',
      '/api/v1/vapi/events',
      '/api/v1/vapi/events/replay',
      '/api/v1/vapi/events/{eventId}',
      '/api/v1/vapi/events/{eventId}/replay',
      '/api/v1/vapi/oauth/token',
      '/api/v1/vapi/sources/{sourceId}/oauth/token',
      '/api/v1/vapi/sources/{sourceId}/webhook',
      '/api/v1/vapi/stats',
      '/api/v1/vapi/webhook',
      '/api/v1/vapi/webhooks/vapi',
      '/health',
      '/metrics',
      '/ready',
    ]);
    expect(Object.keys(document.paths?.['/api/v1/vapi/calls/{callId}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
    ]);
  });

  it('documents the 403 a read-only key gets on replay and delete, and the bounds on expensive reads', () => {
    const responsesOf = (path: string, method: 'get' | 'post' | 'delete') =>
      Object.keys(
        (document.paths?.[path] as Record<string, { responses?: object }> | undefined)?.[method]?.responses ??
          {},
      );
    expect(responsesOf('/api/v1/vapi/events/{eventId}/replay', 'post')).toContain('403');
    expect(responsesOf('/api/v1/vapi/events/replay', 'post')).toContain('403');
    expect(responsesOf('/api/v1/vapi/calls/{callId}', 'delete')).toContain('403');
    expect(responsesOf('/api/v1/vapi/webhook', 'post')).toContain('409');
    expect(document.paths?.['/api/v1/vapi/stats']?.get?.description).toContain('STATS_MAX_WINDOW_DAYS');
    expect(document.paths?.['/api/v1/vapi/events']?.get?.description).toContain(
      'EVENT_PAGE_MAX_PAYLOAD_BYTES',
    );
  });

  it('documents the calls stream as server-sent events', () => {
    const responses = document.paths?.['/api/v1/vapi/calls/stream']?.get?.responses as
      | Record<string, { content?: Record<string, unknown> }>
      | undefined;
    expect(Object.keys(responses?.['200']?.content ?? {})).toEqual(['text/event-stream']);
  });

  it('declares the API-key scheme on read routes and VAPI’s schemes on the webhook', () => {
    expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual([
      'adminKey',
      'apiKey',
      'metricsToken',
      'vapiBearer',
      'vapiHmac',
      'vapiOAuth2',
      'vapiSecret',
    ]);
    expect(document.paths?.['/api/v1/vapi/calls/{callId}']?.get?.security).toEqual([{ apiKey: [] }]);
    expect(document.paths?.['/api/v1/vapi/webhook']?.post?.security).toEqual([
      { vapiHmac: [] },
      { vapiSecret: [] },
      { vapiBearer: [] },
      { vapiOAuth2: [] },
    ]);
  });

  it('documents the source webhook URL with its 404, VAPI’s schemes and an example id', () => {
    const post = document.paths?.['/api/v1/vapi/sources/{sourceId}/webhook']?.post;
    expect(post?.security).toEqual([
      { vapiHmac: [] },
      { vapiSecret: [] },
      { vapiBearer: [] },
      { vapiOAuth2: [] },
    ]);
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '404', '503']));
    expect(JSON.stringify(post?.parameters)).toContain('3f2c9a4e-8b1d-4c6f-9e2a-7d5b1c0a8f34');
    expect(JSON.stringify(post?.requestBody)).toContain('VapiServerMessage');
  });

  it('shows the outcome with canceled and the fault on a call result and on the calls list', () => {
    const schemas = document.components?.schemas ?? {};
    for (const name of ['CallResult', 'CallSummary', 'CallListItem']) {
      const properties = (schemas[name] as OpenAPIV3_1.SchemaObject | undefined)?.properties ?? {};
      expect(JSON.stringify(properties.outcome)).toContain('"canceled"');
      for (const fault of ['customer', 'provider', 'vapi', 'assistant-configuration', 'none'])
        expect(JSON.stringify(properties.fault)).toContain(`"${fault}"`);
    }
    expect(JSON.stringify(document.paths?.['/api/v1/vapi/calls']?.get?.parameters)).toContain('"canceled"');
  });

  it('documents error responses and gives examples', () => {
    const get = document.paths?.['/api/v1/vapi/calls/{callId}']?.get;
    expect(Object.keys(get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '404', '429', '503']),
    );
    const schemas = document.components?.schemas ?? {};
    expect(schemas.CallResultResponse).toHaveProperty('example');
    expect(schemas.CallResultResponse).toHaveProperty('example.kestraPush.state', 'delivered');
    expect(schemas.KestraPush).toBeDefined();
    expect(schemas.CallNotFound).toHaveProperty('example');
    expect(schemas.VapiEventListResponse).toHaveProperty('example');
    expect(schemas.VapiEventResponse).toHaveProperty('example');
    expect(schemas.ReplayEventResponse).toHaveProperty('example');
    expect(schemas.ReplayRangeResponse).toHaveProperty('example');
    expect(schemas.ReplayRangeRequest).toHaveProperty('example');
    expect(document.paths?.['/api/v1/vapi/events']?.get?.security).toEqual([{ apiKey: [] }]);
    expect(document.paths?.['/metrics']?.get?.security).toEqual([{ metricsToken: [] }]);
    const metrics = document.paths?.['/metrics']?.get?.responses?.['200'] as OpenAPIV3_1.ResponseObject;
    expect(metrics.content?.['text/plain']?.schema).toHaveProperty('example');
    expect(Object.keys(document.paths?.['/api/v1/vapi/events/{eventId}']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '429', '503']),
    );
    expect(JSON.stringify(schemas.VapiServerMessageInput)).toContain('status-update');
  });

  it.each(['/api/v1/vapi/oauth/token', '/api/v1/vapi/sources/{sourceId}/oauth/token'])(
    'documents the OAuth2 token route %s: a form or JSON request, the token and RFC 6749 errors',
    (path) => {
      const post = document.paths?.[path]?.post;
      const schemas = document.components?.schemas ?? {};
      const resolve = (ref: unknown) =>
        schemas[String(ref).replace('#/components/schemas/', '')] as Record<string, unknown>;
      const body = post?.requestBody as OpenAPIV3_1.RequestBodyObject;
      expect(Object.keys(body.content).sort()).toEqual([
        'application/json',
        'application/x-www-form-urlencoded',
      ]);
      const request = resolve(
        (body.content['application/x-www-form-urlencoded']?.schema as { $ref?: string } | undefined)?.$ref,
      );
      expect(request).toMatchObject({
        type: 'object',
        required: ['grant_type'],
        properties: {
          grant_type: { type: 'string', const: 'client_credentials' },
          client_id: { type: 'string' },
          client_secret: { type: 'string' },
          scope: { type: 'string' },
        },
      });
      const responses = post?.responses as Record<string, OpenAPIV3_1.ResponseObject>;
      const schemaOf = (status: string) =>
        resolve(
          (responses[status]?.content?.['application/json']?.schema as { $ref?: string } | undefined)?.$ref,
        );
      expect(schemaOf('200')).toMatchObject({
        type: 'object',
        required: expect.arrayContaining(['access_token', 'token_type', 'expires_in']),
        properties: {
          access_token: { type: 'string' },
          token_type: { type: 'string', const: 'Bearer' },
          expires_in: { type: 'integer' },
        },
      });
      for (const status of ['400', '401']) {
        expect(schemaOf(status)).toMatchObject({
          required: expect.arrayContaining(['success', 'error', 'error_description', 'message']),
          properties: {
            error: { type: 'string', enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type'] },
          },
        });
      }
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '429']));
    },
  );

  it('names the token URL in the vapiOAuth2 scheme', () => {
    expect(document.components?.securitySchemes?.vapiOAuth2).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: '/api/v1/vapi/oauth/token' } },
    });
  });

  it('documents the relay: relayUrl on sources, relay on events, the SDK-shaped answers on the webhook', async () => {
    // The admin API (sources) is in the document only where ADMIN_API_KEYS is set.
    const admin = await buildAdminTestApp();
    const docs: OpenAPIV3_1.Document = (await admin.inject({ method: 'GET', url: '/docs/json' })).json();
    await admin.close();
    const schemas = docs.components?.schemas ?? {};
    const source = (schemas.VapiSourceResponse?.properties?.data as OpenAPIV3_1.SchemaObject | undefined)
      ?.properties;
    expect(JSON.stringify(source?.relayUrl)).toContain('forwarded here byte for byte');
    for (const request of ['CreateSourceRequest', 'UpdateSourceRequest'])
      expect(schemas[request]?.properties).toHaveProperty('relayUrl');
    const relay = schemas.VapiEvent?.properties?.relay as OpenAPIV3_1.SchemaObject;
    expect(relay.description).toContain("The relay to the team's own VAPI server");
    expect(JSON.stringify(relay)).toContain('"ms"');

    const answer = JSON.stringify(docs.paths?.['/api/v1/vapi/webhook']?.post?.responses?.['200']);
    for (const field of ['eligible', 'timeoutSeconds', 'documents', 'destination', 'toolCallId'])
      expect(answer).toContain(field);
    expect(answer).toContain('application/octet-stream');
  });

  it('serves the interactive docs page at /docs', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
  });
});
