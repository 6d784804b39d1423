import { createHash, randomBytes } from 'node:crypto';

export const READ_KEY_PREFIX = 'cbk_';
/** What the list shows of a key: `cbk_` and 8 random characters, too few to guess the rest from. */
const DISPLAY_PREFIX_LENGTH = READ_KEY_PREFIX.length + 8;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** 256 random bits as standard base64: valid whether or not the HMAC credential decodes its secret. */
export function generateSourceSecret(): string {
  return randomBytes(32).toString('base64');
}

export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

/** Read keys are stored only as this hash: 192 random bits need no slow hash to resist guessing. */
export function hashReadKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateReadKey(): { key: string; prefix: string; hash: string } {
  const key = `${READ_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashReadKey(key) };
}

export function looksLikeReadKey(token: string): boolean {
  return token.startsWith(READ_KEY_PREFIX) && token.length <= 100;
}
