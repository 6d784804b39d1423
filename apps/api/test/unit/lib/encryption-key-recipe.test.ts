import { execFile } from 'node:child_process';
import { constants, createPrivateKey, publicEncrypt } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptEncryptedPaths } from '../../../src/lib/decrypt-encrypted-paths.ts';
import { SanitizeNotes } from '../../../src/lib/sanitize-notes.ts';

// The key pair recipe of docs/vapi-setup.md, "Encrypted fields", as written there
// (test/unit/docs/doc-commands.test.ts keeps the two the same).
const MAKE_PRIVATE_KEY = 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out vapi-private.pem';
const MAKE_PUBLIC_KEY = 'openssl pkey -in vapi-private.pem -pubout -out vapi-public.pem';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('the documented encryptedPaths key recipe', () => {
  it('makes a pair whose public half, as VAPI uses it, encrypts values Callbridge decrypts with the private half', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vapi-keys-'));
    dirs.push(dir);
    for (const command of [MAKE_PRIVATE_KEY, MAKE_PUBLIC_KEY]) {
      await promisify(execFile)('sh', ['-c', command], { cwd: dir });
    }
    const publicPem = await readFile(path.join(dir, 'vapi-public.pem'), 'utf8');
    expect(publicPem).toContain('BEGIN PUBLIC KEY'); // spki-pem, the format VAPI's credential takes
    const number = publicEncrypt(
      { key: publicPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from('+15555550111'),
    ).toString('base64');

    const { payload } = decryptEncryptedPaths(
      { message: { customer: { number } } },
      {
        privateKey: createPrivateKey(await readFile(path.join(dir, 'vapi-private.pem'))),
        paths: ['message.customer.number'],
      },
      new SanitizeNotes(),
    );
    expect(payload).toEqual({ message: { customer: { number: '+15555550111' } } });
  });
});
