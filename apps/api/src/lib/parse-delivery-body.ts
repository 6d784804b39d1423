import { isUtf8 } from 'node:buffer';
import { HttpError } from './http-errors.ts';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface ParsedDeliveryBody {
  payload: unknown;
  /** The JSON text's bytes, BOM removed, when they are valid UTF-8 (what Postgres can take as they are). */
  json: Buffer | undefined;
}

/**
 * A verified webhook body, parsed. A leading BOM is allowed to be refused (RFC 8259 §8.1), but the
 * delivery is authentic: a 400 would lose it for good, so it is skipped. The signature was checked over
 * the bytes as sent, BOM included.
 */
export function parseDeliveryBody(bytes: Buffer): ParsedDeliveryBody {
  const json = bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
  let payload: unknown;
  try {
    payload = JSON.parse(json.toString('utf8'));
  } catch {
    throw new HttpError(400, 'Body is not valid JSON');
  }
  // Invalid UTF-8 decodes to U+FFFD above, so only the parsed payload is the delivery as read.
  return { payload, json: isUtf8(json) ? json : undefined };
}
