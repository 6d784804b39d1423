import { describe, expect, it } from 'vitest';
import { RecentSignatures } from '../../../src/services/recent-signatures.ts';

function memory(maxEntries = 1000) {
  let now = 1_000_000;
  const signatures = new RecentSignatures({ maxEntries, now: () => now });
  return { signatures, advance: (ms: number) => (now += ms), at: () => now };
}

describe('RecentSignatures', () => {
  it('refuses the same signature for the same source until its window closes', () => {
    const { signatures, advance, at } = memory();
    const signed = { signature: 'c2lnbmF0dXJl', untilMs: at() + 300_000 };
    expect(signatures.reserve('default', signed)).toBe(true);
    expect(signatures.reserve('default', signed)).toBe(false);
    advance(299_999);
    expect(signatures.reserve('default', signed)).toBe(false);
    advance(1);
    // The timestamp check refuses it from here on; the memory need not hold it.
    expect(signatures.reserve('default', signed)).toBe(true);
  });

  it('keeps sources apart', () => {
    const { signatures, at } = memory();
    const signed = { signature: 'c2ln', untilMs: at() + 1000 };
    expect(signatures.reserve('source-a', signed)).toBe(true);
    expect(signatures.reserve('source-b', signed)).toBe(true);
    expect(signatures.reserve('source-a', signed)).toBe(false);
  });

  it('lets a forgotten delivery in again (a store that failed, retried by VAPI)', () => {
    const { signatures, at } = memory();
    const signed = { signature: 'c2ln', untilMs: at() + 1000 };
    signatures.reserve('default', signed);
    signatures.forget('default', signed);
    expect(signatures.reserve('default', signed)).toBe(true);
    expect(signatures.reserve('default', signed)).toBe(false);
  });

  it('holds at most maxEntries, dropping the oldest first, and sheds expired entries as it goes', () => {
    const { signatures, advance, at } = memory(3);
    for (const name of ['a', 'b', 'c', 'd']) {
      expect(signatures.reserve('default', { signature: name, untilMs: at() + 10_000 })).toBe(true);
    }
    expect(signatures.size).toBe(3);
    // `a` was dropped to make room; `d` is still held.
    expect(signatures.reserve('default', { signature: 'd', untilMs: at() + 10_000 })).toBe(false);
    expect(signatures.reserve('default', { signature: 'a', untilMs: at() + 10_000 })).toBe(true);
    advance(20_000);
    signatures.reserve('default', { signature: 'e', untilMs: at() + 10_000 });
    expect(signatures.size).toBe(1);
  });
});
