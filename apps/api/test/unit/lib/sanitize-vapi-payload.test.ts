import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../../src/lib/redact-vapi-payload.ts';
import { MAX_SANITIZE_NOTES, SanitizeNotes } from '../../../src/lib/sanitize-notes.ts';
import {
  MAX_PAYLOAD_DEPTH,
  sanitizeVapiPayload,
  TOO_DEEP_MARKER,
} from '../../../src/lib/sanitize-vapi-payload.ts';

function sanitize(payload: unknown) {
  const notes = new SanitizeNotes();
  return { value: sanitizeVapiPayload(payload, notes), notes: notes.notes, record: notes.toRecord() };
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

function depthOf(value: unknown): number {
  let depth = 0;
  for (let at = value; at !== null && typeof at === 'object'; at = (at as { a: unknown }).a) depth++;
  return depth;
}

describe('sanitizeVapiPayload', () => {
  it('returns a clean payload itself, unchanged, and notes nothing', () => {
    const payload = {
      message: { type: 'hang', call: { id: 'c' }, list: [1, 'two', null, true, { x: 1.5 }] },
    };
    const { value, record } = sanitize(payload);
    expect(value).toBe(payload);
    expect(record).toBeNull();
  });

  it('cleans a flaw deep in the last list in place, leaving the rest as it was', () => {
    const payload = { message: { type: 'hang', list: [{ a: 'x' }, { b: ['ok', 'bad\u0000'] }] } };
    const first = payload.message.list[0];
    const { value, record } = sanitize(payload);
    expect(value).toBe(payload);
    expect(value).toEqual({ message: { type: 'hang', list: [{ a: 'x' }, { b: ['ok', 'bad'] }] } });
    expect(payload.message.list[0]).toBe(first);
    expect(record?.changes).toEqual([{ path: '$.message.list[1].b[1]', reason: 'nul-removed' }]);
  });

  it('removes NUL from strings and keys, noting where', () => {
    const { value, notes } = sanitize({
      message: { transcript: 'hel\u0000lo', structuredData: { 'ke\u0000y': 'v\u0000' } },
    });
    expect(value).toEqual({ message: { transcript: 'hello', structuredData: { key: 'v' } } });
    expect(notes).toEqual(
      expect.arrayContaining([
        { path: '$.message.transcript', reason: 'nul-removed' },
        { path: '$.message.structuredData["ke\\u0000y"]', reason: 'nul-removed' },
        { path: '$.message.structuredData.key', reason: 'nul-removed' },
      ]),
    );
  });

  it('replaces a lone surrogate with U+FFFD and keeps real pairs', () => {
    const { value, notes } = sanitize({ a: 'x\ud800y', b: 'emoji 😀', list: ['\udfff'] });
    expect(value).toEqual({ a: 'x\ufffdy', b: 'emoji 😀', list: ['\ufffd'] });
    expect(notes).toEqual([
      { path: '$.a', reason: 'lone-surrogate-replaced' },
      { path: '$.list[0]', reason: 'lone-surrogate-replaced' },
    ]);
  });

  it.each([5_000, 100_000])('cuts nesting %i deep at the limit without overflowing the stack', (depth) => {
    const { value, notes } = sanitize(nested(depth));
    expect(depthOf(value)).toBe(MAX_PAYLOAD_DEPTH);
    expect(JSON.stringify(value)).toContain(JSON.stringify(TOO_DEEP_MARKER));
    expect(notes).toEqual([{ path: expect.stringMatching(/^\$(\.a){64}$/), reason: 'too-deep' }]);
  });

  it('keeps a __proto__ key as data, not as a prototype', () => {
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const { value } = sanitize(payload);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  it('keeps keys in their order', () => {
    expect(Object.keys(sanitize({ z: 1, a: 2, m: 3 }).value as object)).toEqual(['z', 'a', 'm']);
  });

  it('records at most MAX_SANITIZE_NOTES changes and counts the rest', () => {
    const payload = Array.from({ length: MAX_SANITIZE_NOTES + 7 }, () => '\u0000');
    const { record } = sanitize(payload);
    expect(record?.changes).toHaveLength(MAX_SANITIZE_NOTES);
    expect(record?.more).toBe(7);
  });

  it('cleans its input in place: the caller hands over its own freshly parsed copy', () => {
    const payload = { token: 'x', text: 'a\u0000' };
    expect(sanitize(payload).value).toBe(payload);
    expect(payload).toEqual({ token: REDACTED, text: 'a' });
  });
});
