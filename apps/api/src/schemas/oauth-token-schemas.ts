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
