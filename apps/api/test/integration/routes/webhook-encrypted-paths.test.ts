import { constants, generateKeyPairSync, type KeyObject, publicEncrypt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { callEvents, callRow } from '../../support/database.ts';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

/** The key pair of a VAPI credential's PublicKeyEncryptionPlan: VAPI holds the SPKI public half. */
function rsaKeyPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}
const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();

/** RSA-OAEP-256 as the plan names it (OAEP, SHA-256, MGF1-SHA-256) over the value's UTF-8, base64. */
function encryptAsVapi(publicKey: KeyObject, value: string): string {
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(value, 'utf8'),
  ).toString('base64');
}

const PATHS = 'message.customer.number,message.call.customer.number,message.customer.name';
const CLEAR_NUMBER = '+15555550199';
const CLEAR_NAME = 'Ada Lovelace';

/** An end-of-call report whose encryptedPaths VAPI encrypted with `publicKey`. */
function encryptedReport(callId: string, publicKey: KeyObject) {
  const payload = vapiFixture('end-of-call-report', callId);
  const message = payload.message as {
    customer: Record<string, unknown>;
    call: { customer: Record<string, unknown> };
  };
  const number = encryptAsVapi(publicKey, CLEAR_NUMBER);
  message.customer = { number, name: encryptAsVapi(publicKey, CLEAR_NAME) };
  message.call.customer = { number: encryptAsVapi(publicKey, CLEAR_NUMBER) };
  return { payload, number, name: message.customer.name as string };
}

async function eventDetail(app: TestApp, callId: string) {
  const [row] = await callEvents(callId);
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/vapi/events/${row?.id}`,
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });
  return response.json().data;
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("encryptedPaths (VAPI's PublicKeyEncryptionPlan, RSA-OAEP-256)", () => {
  it('decrypts the encrypted fields before mapping and storing: the call row and the event hold the clear values', async () => {
    const { publicKey, privateKey } = rsaKeyPair();
    app = await buildTestApp({ VAPI_ENCRYPTION_PRIVATE_KEY: pem(privateKey), VAPI_ENCRYPTED_PATHS: PATHS });
    const callId = uniqueCallId('encrypted');
    const { payload, number, name } = encryptedReport(callId, publicKey);

    expect((await postWebhook(app, payload)).statusCode).toBe(200);
    expect(await callRow(callId)).toMatchObject({ customer_number: CLEAR_NUMBER, customer_name: CLEAR_NAME });
    expect((await getCall(app, callId)).json().data).toMatchObject({
      customerNumber: CLEAR_NUMBER,
      customerName: CLEAR_NAME,
    });
    const event = await eventDetail(app, callId);
    expect(event.payload.message.customer).toEqual({ number: CLEAR_NUMBER, name: CLEAR_NAME });
    expect(event.payload.message.call.customer).toEqual({ number: CLEAR_NUMBER });
    expect(event.sanitized).toBeNull();
    expect(JSON.stringify(event.payload)).not.toContain(number);
    expect(JSON.stringify(event.payload)).not.toContain(name);
  });

  it('accepts the key with its newlines written as \\n, as a .env file holds it', async () => {
    const { publicKey, privateKey } = rsaKeyPair();
    app = await buildTestApp({
      VAPI_ENCRYPTION_PRIVATE_KEY: pem(privateKey).trim().replaceAll('\n', '\\n'),
      VAPI_ENCRYPTED_PATHS: PATHS,
    });
    const callId = uniqueCallId('encrypted-env');
    expect((await postWebhook(app, encryptedReport(callId, publicKey).payload)).statusCode).toBe(200);
    expect(await callRow(callId)).toMatchObject({ customer_number: CLEAR_NUMBER });
  });

  it('without a private key stores the values as received and marks each on the event', async () => {
    const { publicKey } = rsaKeyPair();
    app = await buildTestApp({ VAPI_ENCRYPTED_PATHS: PATHS });
    const callId = uniqueCallId('encrypted-no-key');
    const { payload, number, name } = encryptedReport(callId, publicKey);

    expect((await postWebhook(app, payload)).statusCode).toBe(200);
    const event = await eventDetail(app, callId);
    expect(event.payload.message.customer).toEqual({ number, name });
    expect(event.sanitized).toEqual({
      changes: [
        { path: '$.message.customer.number', reason: 'encrypted-value-kept' },
        { path: '$.message.call.customer.number', reason: 'encrypted-value-kept' },
        { path: '$.message.customer.name', reason: 'encrypted-value-kept' },
      ],
      more: 0,
    });
    // The call row is mapped without the ciphertext: empty, not a customer number that is not one.
    expect((await getCall(app, callId)).json().data).toMatchObject({
      callId,
      endedReason: 'customer-ended-call',
      customerNumber: null,
      customerName: null,
    });
  });

  it('with a key that is not the pair of the public key stores as received and marks decryption-failed', async () => {
    const vapiPair = rsaKeyPair();
    const otherPair = rsaKeyPair();
    app = await buildTestApp({
      VAPI_ENCRYPTION_PRIVATE_KEY: pem(otherPair.privateKey),
      VAPI_ENCRYPTED_PATHS: PATHS,
    });
    const callId = uniqueCallId('encrypted-wrong-key');
    const { payload, number } = encryptedReport(callId, vapiPair.publicKey);

    expect((await postWebhook(app, payload)).statusCode).toBe(200);
    const event = await eventDetail(app, callId);
    expect(event.payload.message.customer.number).toBe(number);
    expect(event.sanitized.changes).toEqual([
      { path: '$.message.customer.number', reason: 'decryption-failed' },
      { path: '$.message.call.customer.number', reason: 'decryption-failed' },
      { path: '$.message.customer.name', reason: 'decryption-failed' },
    ]);
    expect(await callRow(callId)).toMatchObject({ customer_number: null, customer_name: null });
  });

  it('keeps a value that VAPI did not encrypt (plain text at an encrypted path) and marks it', async () => {
    const { privateKey } = rsaKeyPair();
    app = await buildTestApp({
      VAPI_ENCRYPTION_PRIVATE_KEY: pem(privateKey),
      VAPI_ENCRYPTED_PATHS: 'message.customer.number',
    });
    const callId = uniqueCallId('encrypted-plain');
    expect((await postWebhook(app, vapiFixture('end-of-call-report', callId))).statusCode).toBe(200);
    const event = await eventDetail(app, callId);
    expect(event.payload.message.customer.number).toBe('+15555550100');
    expect(event.sanitized.changes).toEqual([
      { path: '$.message.customer.number', reason: 'decryption-failed' },
    ]);
    // message.customer.number is left out of the mapping; call.customer.number (not listed) still maps.
    expect(await callRow(callId)).toMatchObject({ customer_number: '+15555550100' });
  });
});
