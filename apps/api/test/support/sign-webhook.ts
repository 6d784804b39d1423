import { createHmac } from 'node:crypto';

export const TEST_WEBHOOK_SECRET = 'whsec-test-3b9f0c1a7e';

export interface SignOptions {
  secret?: string;
  algorithm?: 'sha256' | 'sha512' | 'sha1';
  encoding?: 'hex' | 'base64';
  prefix?: string;
  /** Seconds or ms, as a string, exactly as it goes in the header. */
  timestamp?: string;
  secretIsBase64?: boolean;
  /** Sign only the body, as VAPI does with includeTimestamp=false. */
  bodyOnly?: boolean;
}

/**
 * Signs a body the way a VAPI HMAC credential does with its defaults: HMAC-SHA256 over
 * "{timestamp}.{body}", hex, in x-signature, with the timestamp in x-timestamp. Written out here,
 * independently of the code under test.
 */
export function vapiHmacHeaders(body: string | Buffer, options: SignOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? String(Date.now());
  const secret = options.secret ?? TEST_WEBHOOK_SECRET;
  const key = options.secretIsBase64 ? Buffer.from(secret, 'base64') : Buffer.from(secret, 'utf8');
  const hmac = createHmac(options.algorithm ?? 'sha256', key);
  if (!options.bodyOnly) hmac.update(`${timestamp}.`);
  hmac.update(body);
  const signature = `${options.prefix ?? ''}${hmac.digest(options.encoding ?? 'hex')}`;
  return {
    'content-type': 'application/json',
    'x-signature': signature,
    ...(options.bodyOnly ? {} : { 'x-timestamp': timestamp }),
  };
}
