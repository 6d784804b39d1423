export const REDACTED = '[redacted]';

/**
 * Key names whose values are credentials. VAPI embeds the phone number's provider settings in
 * messages (a Twilio number carries twilioAuthToken, twilioApiSecret, …) and assistants can carry
 * server headers. Matching ignores case and punctuation, so `x-api-key` and `apiKey` are one name.
 * "token" only as a suffix: promptTokens and completionTokens are costs, not secrets.
 */
const SECRET_KEY = /(secret|password|passwd|token|apikey|privatekey|authorization|credentials|accountsid)$/;

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** A deep copy of a parsed payload with every credential-looking value replaced. */
export function redactVapiPayload(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactVapiPayload);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      isSecretKey(key) && inner !== null && inner !== '' ? REDACTED : redactVapiPayload(inner),
    ]),
  );
}
