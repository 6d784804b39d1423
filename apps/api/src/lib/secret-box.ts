import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  /** The key id new ciphertexts carry: a fingerprint of SOURCE_SECRETS_KEY, not the key. */
  readonly currentKeyId: string;
  /** `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url; `context` binds it to its row (not stored). */
  seal(plaintext: string, context: string): string;
  /** Throws SecretBoxError when the key is unknown, the text malformed, or anything was altered. */
  open(sealed: string, context: string): string;
  /** True when the sealed text is under a previous key (re-encrypt it). */
  isStale(sealed: string): boolean;
  /**
   * One key per key of the ring (current first), derived for `purpose` with HKDF: other uses of the
   * same key material (signing source tokens) without ever handing out the sealing keys.
   */
  deriveKeys(purpose: string): Buffer[];
}

/** A 32-byte key given as base64; throws with a message that never echoes the value. */
export function parseSecretBoxKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64) || key.length !== KEY_BYTES) {
    throw new SecretBoxError(`must be ${KEY_BYTES} bytes, base64-encoded (openssl rand -base64 32)`);
  }
  return key;
}

/** A key's id: short, stable, and useless for guessing the key (it is a hash of 256 random bits). */
export function secretBoxKeyId(key: Buffer): string {
  return createHash('sha256').update('callbridge-secret-box').update(key).digest('base64url').slice(0, 8);
}

/**
 * AES-256-GCM with a key ring: the current key seals, previous keys still open, so the key can be
 * rotated (set a new key, keep the old one as previous, re-encrypt, drop the old one). The key id in
 * each ciphertext says which key opens it; it is authenticated with the context, so swapping either
 * fails like any other tampering.
 */
export function createSecretBox(currentKey: Buffer, previousKeys: readonly Buffer[] = []): SecretBox {
  const ring = new Map<string, Buffer>();
  for (const key of [currentKey, ...previousKeys]) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`a key must be ${KEY_BYTES} bytes`);
    const id = secretBoxKeyId(key);
    if (!ring.has(id)) ring.set(id, key);
  }
  const currentKeyId = secretBoxKeyId(currentKey);
  const associatedData = (keyId: string, context: string) => Buffer.from(`${VERSION}.${keyId}.${context}`);

  const parts = (sealed: string) => {
    const pieces = sealed.split('.');
    if (pieces.length !== 5 || pieces[0] !== VERSION) throw new SecretBoxError('not a v1 sealed secret');
    const [, keyId, iv, tag, ciphertext] = pieces as [string, string, string, string, string];
    return { keyId, iv, tag, ciphertext };
  };

  return {
    currentKeyId,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(currentKeyId, context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, currentKeyId, iv, cipher.getAuthTag(), ciphertext]
        .map((piece) => (typeof piece === 'string' ? piece : piece.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const { keyId, iv, tag, ciphertext } = parts(sealed);
      const key = ring.get(keyId);
      if (!key) throw new SecretBoxError(`no key with id ${keyId} is configured`);
      const ivBytes = Buffer.from(iv, 'base64url');
      const tagBytes = Buffer.from(tag, 'base64url');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES)
        throw new SecretBoxError('malformed sealed secret');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAAD(associatedData(keyId, context));
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretBoxError('the sealed secret was altered or belongs elsewhere');
      }
    },
    isStale(sealed) {
      return parts(sealed).keyId !== currentKeyId;
    },
    deriveKeys(purpose) {
      const current = ring.get(currentKeyId) as Buffer;
      const others = [...ring.entries()].filter(([id]) => id !== currentKeyId).map(([, key]) => key);
      return [current, ...others].map((key) =>
        Buffer.from(hkdfSync('sha256', key, 'callbridge-secret-box', purpose, KEY_BYTES)),
      );
    },
  };
}
