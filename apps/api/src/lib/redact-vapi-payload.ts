export const REDACTED = '[redacted]';

/**
 * Key names whose values are credentials. VAPI embeds the phone number's provider settings in
 * messages (a Twilio number carries twilioAuthToken, twilioApiSecret, …) and assistants can carry
 * server headers. Matching ignores case and punctuation, so `x-api-key` and `apiKey` are one name.
 * "token" only as a suffix: promptTokens and completionTokens are costs, not secrets.
 */
const SECRET_KEY = /(secret|password|passwd|token|apikey|privatekey|authorization|credentials|accountsid)$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}
