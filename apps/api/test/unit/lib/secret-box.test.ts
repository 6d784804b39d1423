import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createSecretBox,
  parseSecretBoxKey,
  SecretBoxError,
  secretBoxKeyId,
} from '../../../src/lib/secret-box.ts';

const key = randomBytes(32);
const otherKey = randomBytes(32);
const box = createSecretBox(key);

/** Replaces one dot-separated piece of a sealed text, keeping everything else. */
function withPiece(sealed: string, index: number, change: (piece: string) => string): string {
  const pieces = sealed.split('.');
  pieces[index] = change(pieces[index] ?? '');
  return pieces.join('.');
}

/** Flips the first bit of a base64url piece. */
function flipped(piece: string): string {
  const bytes = Buffer.from(piece, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString('base64url');
}

describe('secret box', () => {
  it('round-trips a secret, with a fresh IV each time, and never contains it', () => {
    const secret = 'whsec_Ünïcode-and-ascii-0123456789';
    const first = box.seal(secret, 'source:a');
    const second = box.seal(secret, 'source:a');
    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(first.split('.')[1]).toBe(secretBoxKeyId(key));
    expect(first).not.toContain(secret);
    expect(first).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(box.open(first, 'source:a')).toBe(secret);
    expect(box.open(second, 'source:a')).toBe(secret);
  });

  it.each([
    ['the auth tag', 3],
    ['the ciphertext', 4],
    ['the IV', 2],
  ])('detects a change to %s', (_what, index) => {
    const sealed = box.seal('secret value', 'ctx');
    expect(() => box.open(withPiece(sealed, index, flipped), 'ctx')).toThrow(SecretBoxError);
  });

  it('detects a swapped key id, even one naming another configured key', () => {
    const ring = createSecretBox(key, [otherKey]);
    const sealed = ring.seal('secret value', 'ctx');
    const swapped = withPiece(sealed, 1, () => secretBoxKeyId(otherKey));
    expect(() => ring.open(swapped, 'ctx')).toThrow(/altered/);
    expect(() =>
      ring.open(
        withPiece(sealed, 1, () => 'AAAAAAAA'),
        'ctx',
      ),
    ).toThrow(/no key with id AAAAAAAA/);
  });

  it('refuses a ciphertext moved to another row (another context)', () => {
    const sealed = box.seal('secret value', 'vapi_source_secrets:one');
    expect(() => box.open(sealed, 'vapi_source_secrets:two')).toThrow(SecretBoxError);
  });

  it('refuses the wrong key and malformed text', () => {
    const sealed = box.seal('secret value', 'ctx');
    expect(() => createSecretBox(otherKey).open(sealed, 'ctx')).toThrow(/no key with id/);
    expect(() => box.open('v2.a.b.c.d', 'ctx')).toThrow(/not a v1/);
    expect(() => box.open(sealed.split('.').slice(0, 4).join('.'), 'ctx')).toThrow(SecretBoxError);
    expect(() =>
      box.open(
        withPiece(sealed, 2, () => 'AAAA'),
        'ctx',
      ),
    ).toThrow(/malformed/);
  });

  it('opens with a previous key and says the text is stale, sealing anew with the current key', () => {
    const old = createSecretBox(otherKey);
    const sealedOld = old.seal('rotating', 'ctx');
    const rotated = createSecretBox(key, [otherKey]);
    expect(rotated.open(sealedOld, 'ctx')).toBe('rotating');
    expect(rotated.isStale(sealedOld)).toBe(true);
    const resealed = rotated.seal('rotating', 'ctx');
    expect(rotated.isStale(resealed)).toBe(false);
    expect(() => old.open(resealed, 'ctx')).toThrow(SecretBoxError);
  });

  it('accepts only 32-byte base64 keys', () => {
    expect(parseSecretBoxKey(key.toString('base64'))).toEqual(key);
    expect(() => parseSecretBoxKey(randomBytes(31).toString('base64'))).toThrow(/32 bytes/);
    expect(() => parseSecretBoxKey('not base64 at all!')).toThrow(/32 bytes/);
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
