import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/*
 * Every delivery of a call names the same few numbers, and parsing with libphonenumber's metadata
 * costs more than the rest of mapping a status update, so recent answers are remembered.
 */
const RECENT_LIMIT = 10_000;
const MAX_REMEMBERED_INPUT = 64;
const recent = new Map<string, string | undefined>();

/**
 * E.164 for anything that is possibly a phone number, so "+1 (555) 555-0100" and "+15555550100"
 * are one customer. "Possible" rather than "valid": 555-01xx numbers are fictional but are what tests
 * and demos dial, and carriers' ranges change faster than the metadata.
 */
export function normalizePhoneNumber(input: string, defaultRegion: CountryCode): string | undefined {
  if (input.length > MAX_REMEMBERED_INPUT) return parse(input, defaultRegion);
  const key = `${defaultRegion} ${input}`;
  if (recent.has(key)) return recent.get(key);
  if (recent.size >= RECENT_LIMIT) recent.clear();
  const normalized = parse(input, defaultRegion);
  recent.set(key, normalized);
  return normalized;
}

function parse(input: string, defaultRegion: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCountry: defaultRegion });
  return parsed?.isPossible() ? parsed.number : undefined;
}
