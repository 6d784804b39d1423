export const REDACTED = '[redacted]';

/**
 * Key names whose values are credentials. VAPI embeds the phone number's provider settings in
 * messages (a Twilio number carries twilioAuthToken, twilioApiSecret, …) and assistants can carry
 * server headers. Matching ignores case and punctuation, so `x-api-key` and `apiKey` are one name.
 * "token" only as a suffix: promptTokens and completionTokens are costs, not secrets. A name ending in
 * "key" is a credential when what comes before says so (secretKey, accessKey, awsSecretAccessKey,
 * authKey, hmacAccessKey, ocpApimSubscriptionKey, the SDK's credential fields); publicKey,
 * promptCacheKey or providerConfigKey are not.
 */
const SECRET_KEY =
  /(secret|password|passwd|passphrase|token|authorization|credentials?|accountsid|cookie)$|(api|private|secret|access|auth|subscription|signing|encryption|session|client|master|account|service|webhook|gcp|openai|hmac)keys?(id)?$/;

// VAPI's payloads use a few hundred distinct key names, asked about on every delivery; bounded, so a
// payload of made-up keys cannot grow it.
const MAX_REMEMBERED_KEYS = 10_000;
const rememberedKeys = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  const remembered = rememberedKeys.get(key);
  if (remembered !== undefined) return remembered;
  const secret = SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
  if (rememberedKeys.size < MAX_REMEMBERED_KEYS) rememberedKeys.set(key, secret);
  return secret;
}
