import { errorResponseSchema } from '@callbridge/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WebhookAuthSection } from '../config/webhook-auth-settings.ts';
import { FailedAttemptWindow } from '../lib/failed-attempt-window.ts';
import { issueAccessToken } from '../lib/oauth-access-token.ts';
import {
  type OAuthErrorCode,
  parseFormParameters,
  readTokenRequest,
  type TokenParameters,
} from '../lib/oauth-token-request.ts';
import { authenticatesClient, type OAuthDeliverySettings } from '../lib/verify-delivery.ts';
import { errorBody } from '../plugins/error-handler.ts';
import {
  defaultTokenDescription,
  sourceTokenDescription,
  sourceTokenParamsSchema,
  tokenErrorSchema,
  tokenRequestBodySchema,
  tokenResponseSchema,
} from '../schemas/oauth-token-schemas.ts';

/**
 * webhookAuth.auth: the default paths' settings (the default token route serves only when they are
 * oauth2); webhookAuth.oauthToken: the route's limits. Sources verify through plugins/webhook-verification.ts.
 */
export type OAuthTokenRoutesOptions = Pick<WebhookAuthSection, 'auth' | 'oauthToken'> & {
  /** The clock tokens are issued by (tests move it). */
  now?: () => number;
};

export const TOKEN_PATH = '/api/v1/vapi/oauth/token';
export const SOURCE_TOKEN_PATH = '/api/v1/vapi/sources/:sourceId/oauth/token';

const FAILURE_WINDOW_MS = 15 * 60_000;
/** A token request is a few hundred bytes; nothing larger is read. */
const BODY_LIMIT_BYTES = 8192;
const uuid = z.uuid();

const OAUTH_STATUS: Record<OAuthErrorCode, 400 | 401> = {
  invalid_request: 400,
  invalid_client: 401,
  unsupported_grant_type: 400,
};

/** JSON bodies are read too (not in RFC 6749, which asks for a form): a client that sends one still gets a token. */
function parameters(body: unknown): TokenParameters | undefined {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return undefined;
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.some(([, value]) => typeof value !== 'string' && !Array.isArray(value))) return undefined;
  return Object.fromEntries(entries) as TokenParameters;
}

/**
 * VAPI's OAuth2 credential (OAuth2AuthenticationPlan) fetches its bearer token here with the client
 * credentials grant (RFC 6749 §4.4). One route for the default webhook paths, one per source; a token
 * is bound to the URL it came from (its audience), so a source's token passes nowhere else.
 */
export const oauthTokenRoutes: FastifyPluginAsyncZod<OAuthTokenRoutesOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, parseFormParameters(body as string)),
  );
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, null);
      }
    },
  );
  // Tokens and errors alike: RFC 6749 §5.1 forbids caching either.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('pragma', 'no-cache');
  });

  const now = options.now ?? Date.now;
  const failures = new FailedAttemptWindow(options.oauthToken.failedAttemptLimit, FAILURE_WINDOW_MS);

  const oauthError = (reply: FastifyReply, error: OAuthErrorCode, description: string) => {
    const status = OAUTH_STATUS[error];
    if (status === 401) reply.header('www-authenticate', 'Basic realm="callbridge", charset="UTF-8"');
    return reply
      .code(status)
      .send({ success: false as const, error, error_description: description, message: description });
  };

  const issue = async (
    request: FastifyRequest,
    reply: FastifyReply,
    settings: OAuthDeliverySettings,
    failureKey: string,
  ) => {
    const lockedMs = failures.lockedFor(failureKey, now());
    if (lockedMs > 0) {
      reply.header('retry-after', String(Math.ceil(lockedMs / 1000)));
      return reply
        .code(429)
        .send(errorBody(request, 429, 'Too many failed client authentications; retry later'));
    }
    const given = parameters(request.body);
    const read = given
      ? readTokenRequest(given, request.headers.authorization)
      : ({ ok: false, error: 'invalid_request', description: 'The body is not a token request' } as const);
    if (!read.ok) {
      if (read.error === 'invalid_client') failures.fail(failureKey, now());
      request.log.warn({ oauthError: read.error }, 'token request refused');
      return oauthError(reply, read.error, read.description);
    }
    if (!authenticatesClient(settings, read.clientId, read.clientSecret)) {
      failures.fail(failureKey, now());
      request.log.warn(
        { oauthError: 'invalid_client' },
        'token request refused: unknown client or wrong secret',
      );
      return oauthError(reply, 'invalid_client', 'Client authentication failed');
    }
    const accessToken = await issueAccessToken({
      keys: settings.keys,
      audience: settings.audience,
      clientId: read.clientId,
      scope: read.scope,
      ttlSeconds: settings.tokenTtlSeconds,
      nowMs: now(),
    });
    request.log.info({ expiresIn: settings.tokenTtlSeconds }, 'access token issued');
    return { access_token: accessToken, token_type: 'Bearer' as const, expires_in: settings.tokenTtlSeconds };
  };

  // The body is read by the handler, so a malformed request gets RFC 6749's answer rather than a 400 of ours.
  const readByHandler = () => (data: unknown) => ({ value: data });
  const rateLimit = { max: options.oauthToken.rateLimitPerMinute, timeWindow: '1 minute' };
  const responses = {
    200: tokenResponseSchema,
    400: tokenErrorSchema,
    401: tokenErrorSchema,
    404: errorResponseSchema,
    413: errorResponseSchema,
    415: errorResponseSchema,
    429: errorResponseSchema,
  };
  const consumes = ['application/x-www-form-urlencoded', 'application/json'];

  app.post(
    TOKEN_PATH,
    {
      validatorCompiler: readByHandler,
      config: { rateLimit },
      schema: {
        tags: ['webhooks'],
        summary: 'Get an access token for the default webhook paths (VAPI oauth2 credential)',
        description: defaultTokenDescription,
        consumes,
        body: tokenRequestBodySchema,
        response: responses,
      },
    },
    async (request, reply) => {
      if (options.auth.mode !== 'oauth2') {
        return reply
          .code(404)
          .send(errorBody(request, 404, 'OAuth2 is not enabled (VAPI_WEBHOOK_AUTH=oauth2)'));
      }
      return issue(request, reply, options.auth, `default|${request.ip}`);
    },
  );

  app.post(
    SOURCE_TOKEN_PATH,
    {
      validatorCompiler: readByHandler,
      config: { rateLimit },
      schema: {
        tags: ['webhooks'],
        summary: 'Get an access token for a source’s webhook URL (VAPI oauth2 credential)',
        description: sourceTokenDescription,
        consumes,
        params: sourceTokenParamsSchema,
        body: tokenRequestBodySchema,
        response: responses,
      },
    },
    async (request, reply) => {
      const { sourceId } = request.params as { sourceId: string };
      const settings =
        app.webhookSources && uuid.safeParse(sourceId).success
          ? await app.webhookSources.get(sourceId)
          : null;
      if (settings?.mode !== 'oauth2') {
        return reply.code(404).send(errorBody(request, 404, 'No such OAuth2 client'));
      }
      return issue(request, reply, settings, `${sourceId}|${request.ip}`);
    },
  );
};
