import { describe, expect, it } from 'vitest';
import {
  ALL_SOURCES,
  inReadScope,
  NO_SOURCES,
  readScopeFilter,
  readScopeSourceIds,
} from '../../../src/lib/read-scope.ts';

const a = '3f2c9a4e-8b1d-4c6f-9e2a-7d5b1c0a8f34';
const b = '9d1e0f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a';

describe('read scopes', () => {
  it('puts no filter on a key that sees every source', () => {
    expect(readScopeFilter(ALL_SOURCES)).toBeNull();
    expect(readScopeSourceIds(ALL_SOURCES)).toBeNull();
    expect(inReadScope(ALL_SOURCES, null)).toBe(true);
    expect(inReadScope(ALL_SOURCES, a)).toBe(true);
  });

  it('limits a scoped key to its sources, never the default source', () => {
    const scope = { sourceIds: [a, b] };
    expect(readScopeFilter(scope)).toEqual(['source_id', 'in', `(${a},${b})`]);
    expect(readScopeSourceIds(scope)).toEqual([a, b]);
    expect(inReadScope(scope, a)).toBe(true);
    expect(inReadScope(scope, null)).toBe(false);
    expect(inReadScope({ sourceIds: [b] }, a)).toBe(false);
  });

  it('shows nothing before a key check has set the scope', () => {
    expect(readScopeFilter(NO_SOURCES)).toEqual(['source_id', 'in', '()']);
    expect(inReadScope(NO_SOURCES, null)).toBe(false);
    expect(inReadScope(NO_SOURCES, a)).toBe(false);
  });
});
