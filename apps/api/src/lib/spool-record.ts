import { crc32 } from 'node:zlib';

/**
 * One spool record on disk: magic (4 bytes) | payload length (u32 LE) | CRC-32 of length and payload
 * (u32 LE) | payload (UTF-8 JSON). The design of Vector's disk buffer v2 (length + checksum per record);
 * the magic lets a reader find the next record after a damaged one, and the CRC covers the length so a
 * flipped length bit is caught too. zlib.crc32 is Node's own (22.2+): no dependency, hardware-assisted.
 */
export const SPOOL_RECORD_MAGIC = 0x31534243; // "CBS1" read as little-endian bytes
export const SPOOL_RECORD_HEADER_BYTES = 12;
/** A payload larger than this is not a record we wrote (webhook bodies are capped far lower). */
export const SPOOL_RECORD_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

export function encodeSpoolRecord(value: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  const header = Buffer.allocUnsafe(SPOOL_RECORD_HEADER_BYTES);
  header.writeUInt32LE(SPOOL_RECORD_MAGIC, 0);
  header.writeUInt32LE(payload.length, 4);
  header.writeUInt32LE(checksum(header.subarray(4, 8), payload), 8);
  return Buffer.concat([header, payload]);
}

function checksum(length: Buffer, payload: Buffer): number {
  return crc32(payload, crc32(length));
}

export interface DecodedRecord {
  /** Where the record starts in the buffer. */
  offset: number;
  /** Header and payload. */
  bytes: number;
  value: unknown;
}

export interface DamagedRange {
  offset: number;
  bytes: number;
  /** `torn`: the buffer ends inside a record (a write cut short); `corrupt`: a record fails its check. */
  kind: 'torn' | 'corrupt';
}

export interface DecodedSegment {
  records: DecodedRecord[];
  damaged: DamagedRange[];
}

/**
 * Reads every record a segment holds. A record that fails its checksum (or does not parse) is reported
 * as damaged and the reader moves on to the next magic that starts a valid record, so one bad byte costs
 * one record, never the ones after it. Bytes after the last good record that stop inside a record are
 * a torn tail (a write cut short, never acknowledged).
 */
export function decodeSpoolSegment(buffer: Buffer): DecodedSegment {
  const records: DecodedRecord[] = [];
  const damaged: DamagedRange[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const record = readRecordAt(buffer, offset);
    if (record.kind === 'ok') {
      records.push({ offset, bytes: record.bytes, value: record.value });
      offset += record.bytes;
      continue;
    }
    const next = nextGoodRecord(buffer, offset + 1);
    if (next === undefined) {
      // Nothing good after it: a write cut short if it stops inside a record, else damage to the end.
      const kind = record.kind === 'incomplete' ? 'torn' : 'corrupt';
      damaged.push({ offset, bytes: buffer.length - offset, kind });
      break;
    }
    damaged.push({ offset, bytes: next - offset, kind: 'corrupt' });
    offset = next;
  }
  return { records, damaged };
}

function nextGoodRecord(buffer: Buffer, from: number): number | undefined {
  for (let at = buffer.indexOf(MAGIC_BYTES, from); at >= 0; at = buffer.indexOf(MAGIC_BYTES, at + 1)) {
    if (readRecordAt(buffer, at).kind === 'ok') return at;
  }
  return undefined;
}

const MAGIC_BYTES = (() => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(SPOOL_RECORD_MAGIC, 0);
  return bytes;
})();

type ReadResult = { kind: 'ok'; bytes: number; value: unknown } | { kind: 'incomplete' | 'bad' };

/** One record at `offset`, read and checked. */
export function readRecordAt(buffer: Buffer, offset: number): ReadResult {
  if (buffer.length - offset < SPOOL_RECORD_HEADER_BYTES) {
    return buffer.subarray(offset, offset + 4).equals(MAGIC_BYTES.subarray(0, buffer.length - offset))
      ? { kind: 'incomplete' }
      : { kind: 'bad' };
  }
  if (buffer.readUInt32LE(offset) !== SPOOL_RECORD_MAGIC) return { kind: 'bad' };
  const length = buffer.readUInt32LE(offset + 4);
  if (length > SPOOL_RECORD_MAX_PAYLOAD_BYTES) return { kind: 'bad' };
  const end = offset + SPOOL_RECORD_HEADER_BYTES + length;
  if (end > buffer.length) return { kind: 'incomplete' };
  const payload = buffer.subarray(offset + SPOOL_RECORD_HEADER_BYTES, end);
  if (checksum(buffer.subarray(offset + 4, offset + 8), payload) !== buffer.readUInt32LE(offset + 8))
    return { kind: 'bad' };
  try {
    return { kind: 'ok', bytes: end - offset, value: JSON.parse(payload.toString('utf8')) };
  } catch {
    return { kind: 'bad' };
  }
}
