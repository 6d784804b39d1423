import { describe, expect, it } from 'vitest';
import {
  decodeSpoolSegment,
  encodeSpoolRecord,
  SPOOL_RECORD_HEADER_BYTES,
} from '../../../src/lib/spool-record.ts';

const records = [
  { n: 1, text: 'first' },
  { n: 2, text: 'zweite – ü' },
  { n: 3, text: 'third' },
];
const segment = () => Buffer.concat(records.map((value) => encodeSpoolRecord(value)));
const sizes = records.map((value) => encodeSpoolRecord(value).length);

describe('spool records', () => {
  it('read back every record written, in order', () => {
    const decoded = decodeSpoolSegment(segment());
    expect(decoded.records.map((record) => record.value)).toEqual(records);
    expect(decoded.damaged).toEqual([]);
  });

  it('a last record cut short is a torn tail; the records before it are read', () => {
    const whole = segment();
    const torn = whole.subarray(0, whole.length - 5);
    const decoded = decodeSpoolSegment(torn);
    expect(decoded.records.map((record) => record.value)).toEqual(records.slice(0, 2));
    expect(decoded.damaged).toEqual([
      { offset: (sizes[0] ?? 0) + (sizes[1] ?? 0), bytes: (sizes[2] ?? 0) - 5, kind: 'torn' },
    ]);
  });

  it('a tail shorter than a header is torn too', () => {
    const whole = segment();
    const decoded = decodeSpoolSegment(Buffer.concat([whole, encodeSpoolRecord({ n: 4 }).subarray(0, 6)]));
    expect(decoded.records).toHaveLength(3);
    expect(decoded.damaged).toEqual([{ offset: whole.length, bytes: 6, kind: 'torn' }]);
  });

  it('a flipped payload byte fails the checksum: that record is reported, the ones after it are read', () => {
    const damaged = segment();
    const inSecond = (sizes[0] ?? 0) + SPOOL_RECORD_HEADER_BYTES + 3;
    damaged[inSecond] = (damaged[inSecond] ?? 0) ^ 0x01;
    const decoded = decodeSpoolSegment(damaged);
    expect(decoded.records.map((record) => record.value)).toEqual([records[0], records[2]]);
    expect(decoded.damaged).toEqual([{ offset: sizes[0], bytes: sizes[1], kind: 'corrupt' }]);
  });

  it('a flipped length byte (a record that seems to run past the end) does not hide the records after it', () => {
    const damaged = segment();
    damaged[4 + 1] = (damaged[4 + 1] ?? 0) ^ 0x40;
    const decoded = decodeSpoolSegment(damaged);
    expect(decoded.records.map((record) => record.value)).toEqual(records.slice(1));
    expect(decoded.damaged).toEqual([{ offset: 0, bytes: sizes[0], kind: 'corrupt' }]);
  });

  it('garbage where a record should start is skipped to the next good record', () => {
    const garbage = Buffer.from('not a record at all');
    const decoded = decodeSpoolSegment(Buffer.concat([garbage, segment()]));
    expect(decoded.records).toHaveLength(3);
    expect(decoded.damaged).toEqual([{ offset: 0, bytes: garbage.length, kind: 'corrupt' }]);
  });
});
