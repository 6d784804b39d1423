import { createHmac } from 'node:crypto';
import { matchesAny } from './constant-time-equal.ts';

export type HmacAlgorithm = 'sha256' | 'sha512' | 'sha1';

/** How VAPI's credential signs or authenticates its requests; mirrors the credential's own fields. */
export type WebhookAuthSettings =
  | {
      mode: 'hmac';
      /** Several keys during a rotation; already base64-decoded when the credential says so. */
      keys: Buffer[];
      algorithm: HmacAlgorithm;
      signatureHeader: string;
      timestampHeader: string;
      /** `{body}`, `{timestamp}`, `{method}`, `{url}` and `{svix-id}` are substituted. */
      payloadFormat: string;
      encoding: 'hex' | 'base64';
      signaturePrefix: string;
      includeTimestamp: boolean;
      messageIdHeader?: string;
      toleranceSeconds: number;
    }
  | { mode: 'secret'; secrets: string[]; headerName: string }
  | {
      mode: 'bearer';
      tokens: string[];
      /** VAPI's BearerAuthenticationPlan: `headerName` (default Authorization) and `bearerPrefixEnabled`. */
      headerName: string;
      prefixEnabled: boolean;
    }
  | { mode: 'none' };

export interface IncomingWebhook {
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  method: string;
  url: string;
}

export type VerificationFailure =
  | 'missing-signature'
  | 'malformed-signature'
  | 'signature-mismatch'
  | 'missing-timestamp'
  | 'invalid-timestamp'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'missing-secret'
  | 'secret-mismatch'
  | 'missing-bearer-token'
  | 'bearer-token-mismatch';

/**
 * What identifies one signed delivery, for refusing it a second time (services/recent-signatures.ts):
 * the signature's bytes (decoded, so a re-encoding of the same signature is the same key) and until
 * when the timestamp check would still let it through.
 */
export interface SignedDelivery {
  signature: string;
  untilMs: number;
}

export type VerificationResult =
  | { ok: true; signed?: SignedDelivery }
  | { ok: false; reason: VerificationFailure };

const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Epoch values above this are milliseconds; VAPI does not document the unit of x-timestamp. */
const MILLISECONDS_THRESHOLD = 1e11;

function header(webhook: IncomingWebhook, name: string): string | undefined {
  const value = webhook.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

function fail(reason: VerificationFailure): { ok: false; reason: VerificationFailure } {
  return { ok: false, reason };
}

/** The timestamp in ms when it is inside the tolerance, else why not. */
function checkTimestamp(
  raw: string,
  toleranceSeconds: number,
  nowMs: number,
): { ok: true; timestampMs: number } | { ok: false; reason: VerificationFailure } {
  if (!/^\d+(\.\d+)?$/.test(raw)) return fail('invalid-timestamp');
  const value = Number(raw);
  const timestampMs = value > MILLISECONDS_THRESHOLD ? value : value * 1000;
  const skewMs = nowMs - timestampMs;
  if (skewMs > toleranceSeconds * 1000) return fail('stale-timestamp');
  if (skewMs < -toleranceSeconds * 1000) return fail('future-timestamp');
  return { ok: true, timestampMs };
}

function decodeSignature(text: string, encoding: 'hex' | 'base64'): Buffer | undefined {
  if (encoding === 'hex')
    return HEX.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : undefined;
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

type SignedParts = { body: Buffer; timestamp?: string; method: string; url: string; messageId?: string };

// Formats come from configuration: a handful per process, split once each.
const splitFormats = new Map<string, string[]>();
function formatPieces(format: string): string[] {
  let pieces = splitFormats.get(format);
  if (!pieces) {
    pieces = format.split(/(\{body\}|\{timestamp\}|\{method\}|\{url\}|\{svix-id\})/).filter(Boolean);
    splitFormats.set(format, pieces);
  }
  return pieces;
}

/** The signed string's pieces in order; the body is the received Buffer itself, never a copy. */
export function signedPayloadParts(format: string, parts: SignedParts): Array<Buffer | string> {
  return formatPieces(format).map((piece) => {
    switch (piece) {
      case '{body}':
        return parts.body;
      case '{timestamp}':
        return parts.timestamp ?? '';
      case '{method}':
        return parts.method;
      case '{url}':
        return parts.url;
      case '{svix-id}':
        return parts.messageId ?? '';
      default:
        return piece;
    }
  });
}

/** Builds the signed string from the payload format; the body goes in as the exact bytes received. */
export function signedPayload(format: string, parts: SignedParts): Buffer {
  return Buffer.concat(
    signedPayloadParts(format, parts).map((piece) =>
      typeof piece === 'string' ? Buffer.from(piece) : piece,
    ),
  );
}

/** The HMAC of the signed string, fed piece by piece: a 20 KB body is hashed where it lies. */
export function hmacOfParts(algorithm: string, key: Buffer, pieces: Array<Buffer | string>): Buffer {
  const hmac = createHmac(algorithm, key);
  for (const piece of pieces) hmac.update(piece);
  return hmac.digest();
}

function verifyHmac(
  settings: Extract<WebhookAuthSettings, { mode: 'hmac' }>,
  webhook: IncomingWebhook,
  nowMs: number,
): VerificationResult {
  const signatureText = header(webhook, settings.signatureHeader);
  if (!signatureText) return fail('missing-signature');

  let timestamp: string | undefined;
  // Without a timestamp nothing bounds the delivery's age: it is remembered for the tolerance from now.
  let untilMs = nowMs + settings.toleranceSeconds * 1000;
  if (settings.includeTimestamp) {
    timestamp = header(webhook, settings.timestampHeader);
    if (!timestamp) return fail('missing-timestamp');
    const fresh = checkTimestamp(timestamp, settings.toleranceSeconds, nowMs);
    if (!fresh.ok) return fresh;
    untilMs = fresh.timestampMs + settings.toleranceSeconds * 1000;
  }

  if (!signatureText.startsWith(settings.signaturePrefix)) return fail('malformed-signature');
  const signature = decodeSignature(signatureText.slice(settings.signaturePrefix.length), settings.encoding);
  if (!signature) return fail('malformed-signature');

  const pieces = signedPayloadParts(settings.payloadFormat, {
    body: webhook.rawBody,
    timestamp,
    method: webhook.method,
    url: webhook.url,
    messageId: settings.messageIdHeader ? header(webhook, settings.messageIdHeader) : undefined,
  });
  const expected = settings.keys.map((key) => hmacOfParts(settings.algorithm, key, pieces));
  if (!matchesAny(signature, expected)) return fail('signature-mismatch');
  return { ok: true, signed: { signature: signature.toString('base64'), untilMs } };
}

/** Decides whether a webhook came from VAPI, before anything reads its body. */
export function verifyVapiWebhook(
  settings: WebhookAuthSettings,
  webhook: IncomingWebhook,
  nowMs: number = Date.now(),
): VerificationResult {
  switch (settings.mode) {
    case 'none':
      return { ok: true };
    case 'hmac':
      return verifyHmac(settings, webhook, nowMs);
    case 'secret': {
      const given = header(webhook, settings.headerName);
      if (!given) return fail('missing-secret');
      return matchesAny(given, settings.secrets) ? { ok: true } : fail('secret-mismatch');
    }
    case 'bearer': {
      const value = header(webhook, settings.headerName) ?? '';
      const token = settings.prefixEnabled ? /^Bearer\s+(.+)$/i.exec(value)?.[1] : value;
      if (!token) return fail('missing-bearer-token');
      return matchesAny(token, settings.tokens) ? { ok: true } : fail('bearer-token-mismatch');
    }
  }
}
