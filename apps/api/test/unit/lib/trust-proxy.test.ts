import { describe, expect, it } from 'vitest';
import { fastifyTrustProxy, parseTrustProxy } from '../../../src/lib/trust-proxy.ts';

describe('TRUST_PROXY', () => {
  it('reads true/false, a hop count and address lists', () => {
    expect(parseTrustProxy('TRUE')).toBe(true);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toEqual(['loopback', '10.0.0.0/8']);
    expect(parseTrustProxy('10.0.0.0/99')).toBeUndefined();
    expect(parseTrustProxy('-1')).toBeUndefined();
  });

  it('turns a hop count into a per-hop rule trusting only the nearest hops', () => {
    const trust = fastifyTrustProxy(2);
    expect(typeof trust).toBe('function');
    const rule = trust as (address: string, hop: number) => boolean;
    expect([0, 1, 2, 3].map((hop) => rule('192.0.2.1', hop))).toEqual([true, true, false, false]);
    expect(fastifyTrustProxy(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });
});
