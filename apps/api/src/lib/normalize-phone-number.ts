import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * E.164 for anything that is possibly a phone number, so "+1 (555) 555-0100" and "+15555550100"
 * are one customer. "Possible" rather than "valid": 555-01xx numbers are fictional but are what tests
 * and demos dial, and carriers' ranges change faster than the metadata.
 */
export function normalizePhoneNumber(input: string, defaultRegion: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCountry: defaultRegion });
  return parsed?.isPossible() ? parsed.number : undefined;
}
