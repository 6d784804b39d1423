import { CALL_OUTCOMES, CALL_STATUSES, type CallListFilter, type CallListItem } from '@callbridge/contracts';

/** The Calls view's filters as the form holds them: `since`/`until` are datetime-local values. */
export interface CallFilterForm {
  status: string;
  outcome: string;
  phone: string;
  since: string;
  until: string;
}

export const EMPTY_CALL_FILTERS: CallFilterForm = {
  status: '',
  outcome: '',
  phone: '',
  since: '',
  until: '',
};

const FIELDS = Object.keys(EMPTY_CALL_FILTERS) as (keyof CallFilterForm)[];

/** Filters from the page's URL, so a filtered list can be bookmarked and survives reload. */
export function filtersFromSearch(search: URLSearchParams): CallFilterForm {
  return Object.fromEntries(
    FIELDS.map((field) => [field, search.get(field) ?? '']),
  ) as unknown as CallFilterForm;
}

export function filtersToSearch(filters: CallFilterForm): URLSearchParams {
  const search = new URLSearchParams();
  for (const field of FIELDS) if (filters[field].trim()) search.set(field, filters[field].trim());
  return search;
}

/** A datetime-local value ("2026-11-23T09:30") read in the browser's zone, as ISO 8601 for the API. */
function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The API filter for the form, leaving out blank and unknown values. */
export function toApiFilter(filters: CallFilterForm): CallListFilter {
  const filter: CallListFilter = {};
  if ((CALL_STATUSES as readonly string[]).includes(filters.status))
    filter.status = filters.status as CallListFilter['status'];
  if ((CALL_OUTCOMES as readonly string[]).includes(filters.outcome))
    filter.outcome = filters.outcome as CallListFilter['outcome'];
  if (filters.phone.trim()) filter.phone = filters.phone.trim();
  const since = localToIso(filters.since);
  const until = localToIso(filters.until);
  if (since) filter.since = since;
  if (until) filter.until = until;
  return filter;
}

/** GET /api/v1/vapi/calls query string for a filter and page. */
export function callListQuery(
  filter: CallListFilter,
  page: { limit: number; cursor?: string | null },
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) search.set(key, String(value));
  search.set('limit', String(page.limit));
  if (page.cursor) search.set('cursor', page.cursor);
  return search.toString();
}

/**
 * Whether a call the live stream reports belongs in the list as filtered. The phone is compared by
 * digits only, since the API normalizes it and the form holds it as typed.
 */
export function matchesFilter(call: CallListItem, filter: CallListFilter): boolean {
  if (filter.status && call.status !== filter.status) return false;
  if (filter.outcome && (call.status !== 'ended' || call.outcome !== filter.outcome)) return false;
  if (filter.phone) {
    const digits = (value: string) => value.replace(/\D/g, '');
    const wanted = digits(filter.phone);
    if (!call.customerNumber || !digits(call.customerNumber).endsWith(wanted)) return false;
  }
  if (filter.since && Date.parse(call.createdAt) < Date.parse(filter.since)) return false;
  if (filter.until && Date.parse(call.createdAt) >= Date.parse(filter.until)) return false;
  return true;
}

/** The first page with a changed call merged in: replaced where it is, else added on top, newest first. */
export function mergeCall(page: CallListItem[], call: CallListItem, filter: CallListFilter): CallListItem[] {
  const index = page.findIndex((row) => row.callId === call.callId);
  if (!matchesFilter(call, filter))
    return index === -1 ? page : page.filter((row) => row.callId !== call.callId);
  if (index !== -1) return page.map((row) => (row.callId === call.callId ? call : row));
  return [call, ...page].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
