/**
 * Whether an HMAC setting really bounds how long a captured delivery can be replayed. A timestamp is
 * worth checking only when it is signed: with a payload format without `{timestamp}`, anyone can put
 * a fresh timestamp header on a captured body and the age check passes. Such a setting is refused
 * (config and source settings alike) rather than accepted with a warning, because it never protects
 * anything and the same credential can always be mirrored truthfully: add `{timestamp}` to the
 * payload format (VAPI's default, `{timestamp}.{body}`), or say includeTimestamp=false.
 */
export type HmacTimestampCoverage = 'signed' | 'unsigned' | 'none';

export function hmacTimestampCoverage(settings: {
  includeTimestamp: boolean;
  payloadFormat?: string | undefined;
}): HmacTimestampCoverage {
  if (!settings.includeTimestamp) return 'none';
  // Unset: the default format, which signs the timestamp.
  if (settings.payloadFormat === undefined) return 'signed';
  return settings.payloadFormat.includes('{timestamp}') ? 'signed' : 'unsigned';
}

export const UNSIGNED_TIMESTAMP_MESSAGE =
  'checks the timestamp header for freshness without signing it, so anyone could put a fresh timestamp on a captured delivery: add {timestamp} to the payload format (here and in the VAPI credential; the default is {timestamp}.{body}), or turn includeTimestamp off to say there is no time window';

export const NO_TIMESTAMP_WARNING =
  'HMAC without a timestamp: a captured delivery verifies for ever; Callbridge refuses the same one again only within the tolerance of its first arrival, on this instance. Sign the timestamp ({timestamp}.{body}) in the VAPI credential if you can.';
