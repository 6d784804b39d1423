import { z } from 'zod';

/** RFC 6749 §4.4.2, for the docs: the handler reads the body itself to answer in RFC 6749's shapes. */
export const tokenRequestBodySchema = z
  .object({
    grant_type: z.literal('client_credentials'),
    client_id: z.string().optional().describe('With client_secret, unless sent with HTTP Basic'),
    client_secret: z.string().optional(),
    scope: z.string().optional().describe('Accepted and recorded in the token; no scope is enforced'),
  })
  .meta({
    id: 'OAuthTokenRequest',
    example: { grant_type: 'client_credentials', client_id: 'vapi', client_secret: '…', scope: 'webhooks' },
  });

export const tokenResponseSchema = z
  .object({
    access_token: z.string().describe('A JWT (HS256) for the webhook URL this route belongs to'),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().describe('Seconds until the token expires'),
  })
  .meta({
    id: 'OAuthTokenResponse',
    example: { access_token: 'eyJhbGciOiJIUzI1NiIs…', token_type: 'Bearer', expires_in: 3600 },
  });

/** RFC 6749 §5.2 in the house shape: `error` is the RFC's code, `error_description` its text. */
export const tokenErrorSchema = z
  .object({
    success: z.literal(false),
    error: z.enum(['invalid_request', 'invalid_client', 'unsupported_grant_type']),
    error_description: z.string(),
    message: z.string(),
  })
  .meta({ id: 'OAuthTokenError' });

export const sourceTokenParamsSchema = z.object({ sourceId: z.string().max(200) });

/** OpenAPI description of “Get an access token for the default webhook paths (VAPI oauth2 credential)”. */
export const defaultTokenDescription =
  'OAuth 2.0 client credentials (RFC 6749 §4.4), for VAPI_WEBHOOK_AUTH=oauth2: set this URL as the `url` of the VAPI credential’s `authenticationPlan` (type `oauth2`) with VAPI_OAUTH_CLIENT_ID and one of VAPI_OAUTH_CLIENT_SECRET. The client authenticates with HTTP Basic (id and secret form-urlencoded, RFC 6749 §2.3.1) or with client_id and client_secret in the form body, never both. Answers a JWT valid for VAPI_OAUTH_TOKEN_TTL_SECONDS at the default webhook paths only; errors as RFC 6749 §5.2 (`invalid_client` 401 with WWW-Authenticate, `invalid_request` and `unsupported_grant_type` 400). After VAPI_OAUTH_FAILED_ATTEMPT_LIMIT failed client authentications from one address in 15 minutes, 429 until the window ends. 404 when VAPI_WEBHOOK_AUTH is not oauth2.';

/** OpenAPI description of “Get an access token for a source’s webhook URL (VAPI oauth2 credential)”. */
export const sourceTokenDescription =
  "The same grant as POST /api/v1/vapi/oauth/token, for a source whose verification mode is `oauth2`: the client id is the source's `verification.clientId`, the client secret is the source's secret (any still valid during a rotation overlap). The token passes only at this source's webhook URL, not at another source's nor at the default paths. Unknown, disabled and non-oauth2 sources answer the same 404.";
