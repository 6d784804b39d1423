import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptEncryptedPaths, withoutValuesAt } from '../../../src/lib/decrypt-encrypted-paths.ts';
import { SanitizeNotes } from '../../../src/lib/sanitize-notes.ts';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const encrypt = (text: string, encoding: 'base64' | 'base64url' = 'base64') =>
  publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(text),
  ).toString(encoding);

describe('decryptEncryptedPaths', () => {
  it('follows $. prefixes, array indexes and wildcards, and reads base64url too', () => {
    const payload = {
      message: {
        customer: { number: encrypt('+15555550111', 'base64url') },
        artifact: { messages: [{ message: encrypt('hello') }, { message: encrypt('bye') }] },
        list: [encrypt('first'), 'plain'],
      },
    };
    const notes = new SanitizeNotes();
    const { payload: out, kept } = decryptEncryptedPaths(
      payload,
      {
        privateKey,
        paths: ['$.message.customer.number', 'message.artifact.messages[*].message', 'message.list[0]'],
      },
      notes,
    );
    expect(out).toEqual({
      message: {
        customer: { number: '+15555550111' },
        artifact: { messages: [{ message: 'hello' }, { message: 'bye' }] },
        list: ['first', 'plain'],
      },
    });
    expect(kept).toEqual([]);
    expect(notes.toRecord()).toBeNull();
    // The input is not changed.
    expect(payload.message.list[0]).not.toBe('first');
  });

  it('reads a decrypted JSON text as the value it encodes, and a number-like text as a string', () => {
    const payload = {
      message: { analysis: { structuredData: encrypt('{"score":3}') }, code: encrypt('0042') },
    };
    const { payload: out } = decryptEncryptedPaths(
      payload,
      { privateKey, paths: ['message.analysis.structuredData', 'message.code'] },
      new SanitizeNotes(),
    );
    expect(out).toEqual({ message: { analysis: { structuredData: { score: 3 } }, code: '0042' } });
  });

  it('tries a path that does not start at the root under message', () => {
    const { payload: out } = decryptEncryptedPaths(
      { message: { customer: { name: encrypt('Ada') } } },
      { privateKey, paths: ['customer.name'] },
      new SanitizeNotes(),
    );
    expect(out).toEqual({ message: { customer: { name: 'Ada' } } });
  });

  it('keeps what it cannot open, notes it once, and says where it is', () => {
    const notes = new SanitizeNotes();
    const payload = { message: { customer: { number: 'not ciphertext', name: 42 }, other: encrypt('x') } };
    const { payload: out, kept } = decryptEncryptedPaths(
      payload,
      {
        privateKey,
        paths: [
          'message.customer.number',
          'message.customer.number',
          'message.customer.name',
          'message.absent',
        ],
      },
      notes,
    );
    expect(out).toEqual(payload);
    expect(kept).toEqual([
      ['message', 'customer', 'number'],
      ['message', 'customer', 'name'],
    ]);
    expect(notes.toRecord()?.changes).toEqual([
      { path: '$.message.customer.number', reason: 'decryption-failed' },
      { path: '$.message.customer.name', reason: 'decryption-failed' },
    ]);
  });

  it('without a key keeps every value found and marks it encrypted-value-kept', () => {
    const notes = new SanitizeNotes();
    const { kept } = decryptEncryptedPaths(
      { message: { customer: { number: encrypt('+1') } } },
      { paths: ['message.customer.number'] },
      notes,
    );
    expect(kept).toEqual([['message', 'customer', 'number']]);
    expect(notes.toRecord()?.changes).toEqual([
      { path: '$.message.customer.number', reason: 'encrypted-value-kept' },
    ]);
  });
});

describe('withoutValuesAt', () => {
  it('drops the values, copying only the objects on the way', () => {
    const artifact = { messages: [{ role: 'user' }] };
    const payload = { message: { customer: { number: 'c1pher', name: 'Ada' }, list: ['a', 'b'], artifact } };
    const out = withoutValuesAt(payload, [
      ['message', 'customer', 'number'],
      ['message', 'list', 1],
      ['message', 'nowhere', 'x'],
    ]) as typeof payload;
    expect(out).toEqual({ message: { customer: { name: 'Ada' }, list: ['a', null], artifact } });
    expect(out.message.artifact).toBe(artifact);
    expect(payload.message.customer.number).toBe('c1pher');
  });
});
