import type { CallListItem } from '@callbridge/contracts';
import { describe, expect, it } from 'vitest';
import {
  callListQuery,
  EMPTY_CALL_FILTERS,
  filtersFromSearch,
  filtersToSearch,
  matchesFilter,
  mergeCall,
  toApiFilter,
} from '../src/lib/call-filters.ts';

const call = (callId: string, createdAt: string, extra: Partial<CallListItem> = {}): CallListItem => ({
  callId,
  status: 'in-progress',
  final: false,
  outcome: null,
  retryable: false,
  fault: null,
  endedReason: null,
  startedAt: null,
  endedAt: null,
  durationSeconds: null,
  summary: null,
  successEvaluation: null,
  cost: null,
  customerNumber: '+15555550100',
  assistantId: null,
  createdAt,
  lastEventType: 'status-update',
  updatedAt: createdAt,
  ...extra,
});

describe('call filters', () => {
  it('round-trips the form through the page URL, leaving blanks out', () => {
    const form = { ...EMPTY_CALL_FILTERS, status: 'ended', phone: ' +1 555 ' };
    const search = filtersToSearch(form);
    expect(search.toString()).toBe('status=ended&phone=%2B1+555');
    expect(filtersFromSearch(search)).toEqual({ ...EMPTY_CALL_FILTERS, status: 'ended', phone: '+1 555' });
  });

  it('builds the API query: known values only, local times as ISO, then limit and cursor', () => {
    const filter = toApiFilter({
      status: 'bogus',
      outcome: 'busy',
      phone: '+15555550100',
      since: '2026-11-23T09:30',
      until: '',
    });
    expect(filter).toEqual({
      outcome: 'busy',
      phone: '+15555550100',
      since: new Date('2026-11-23T09:30').toISOString(),
    });
    const query = new URLSearchParams(callListQuery(filter, { limit: 25, cursor: 'abc' }));
    expect(Object.fromEntries(query)).toEqual({
      outcome: 'busy',
      phone: '+15555550100',
      since: filter.since,
      limit: '25',
      cursor: 'abc',
    });
    expect(callListQuery({}, { limit: 10, cursor: null })).toBe('limit=10');
  });

  it('decides whether a streamed call belongs in the filtered list', () => {
    const ended = call('a', '2026-11-23T10:00:00Z', { status: 'ended', outcome: 'busy' });
    expect(matchesFilter(ended, { outcome: 'busy' })).toBe(true);
    expect(matchesFilter(ended, { outcome: 'completed' })).toBe(false);
    expect(matchesFilter(ended, { status: 'in-progress' })).toBe(false);
    expect(matchesFilter(ended, { phone: '(555) 555-0100' })).toBe(true);
    expect(matchesFilter(ended, { phone: '555-0199' })).toBe(false);
    expect(matchesFilter(ended, { since: '2026-11-23T10:00:00Z', until: '2026-11-23T11:00:00Z' })).toBe(true);
    expect(matchesFilter(ended, { until: '2026-11-23T10:00:00Z' })).toBe(false);
  });

  it('merges a streamed call: replaced in place, added newest first, dropped once it no longer matches', () => {
    const page = [call('b', '2026-11-23T10:02:00Z'), call('a', '2026-11-23T10:00:00Z')];
    const newer = call('c', '2026-11-23T10:05:00Z');
    expect(mergeCall(page, newer, {}).map((row) => row.callId)).toEqual(['c', 'b', 'a']);
    const ended = call('a', '2026-11-23T10:00:00Z', { status: 'ended', outcome: 'completed' });
    expect(mergeCall(page, ended, {})[1]).toBe(ended);
    expect(mergeCall(page, ended, { status: 'in-progress' }).map((row) => row.callId)).toEqual(['b']);
    expect(mergeCall(page, newer, { status: 'ended' })).toBe(page);
  });
});
