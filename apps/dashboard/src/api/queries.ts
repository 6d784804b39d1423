import {
  type CallListFilter,
  type CallListItem,
  type CallListResponse,
  callListResponseSchema,
  callNotFoundSchema,
  callResultResponseSchema,
  deleteCallResponseSchema,
  replayEventResponseSchema,
  simulateCallResponseSchema,
  vapiEventListResponseSchema,
  vapiStatsResponseSchema,
} from '@callbridge/contracts';
import {
  type InfiniteData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useReadApi } from '../auth/session.tsx';
import { callListQuery, mergeCall } from '../lib/call-filters.ts';
import { ApiError } from './client.ts';

// Every request the dashboard makes, in one place; views only render what these hooks return.

export const CALL_PAGE_SIZE = 25;

export const queryKeys = {
  calls: (filter: CallListFilter) => ['calls', filter] as const,
  call: (callId: string) => ['call', callId] as const,
  callEvents: (callId: string) => ['events', { callId }] as const,
  events: (filter: Record<string, string>) => ['events', filter] as const,
  stats: (since: string, until: string) => ['stats', since, until] as const,
  callsInRange: (since: string, until: string) => ['calls-in-range', since, until] as const,
};

export function useCalls(filter: CallListFilter) {
  const api = useReadApi();
  return useInfiniteQuery({
    queryKey: queryKeys.calls(filter),
    queryFn: ({ pageParam }) =>
      api.request(
        `/api/v1/vapi/calls?${callListQuery(filter, { limit: CALL_PAGE_SIZE, cursor: pageParam })}`,
        callListResponseSchema,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.page.nextCursor,
  });
}

/** What the live stream reports: merged into every cached list it belongs to, and the call refetched. */
export function useApplyCallChange() {
  const client = useQueryClient();
  return (call: CallListItem) => {
    for (const [key, data] of client.getQueriesData<InfiniteData<CallListResponse>>({
      queryKey: ['calls'],
    })) {
      if (!data) continue;
      const filter = (key[1] ?? {}) as CallListFilter;
      const [first, ...rest] = data.pages;
      if (!first) continue;
      client.setQueryData<InfiniteData<CallListResponse>>(key, {
        ...data,
        pages: [{ ...first, data: mergeCall(first.data, call, filter) }, ...rest],
      });
    }
    void client.invalidateQueries({ queryKey: queryKeys.call(call.callId) });
    void client.invalidateQueries({ queryKey: queryKeys.callEvents(call.callId) });
  };
}

/** The call's final result, or what is known while it runs (the API answers 404 until it is final). */
export function useCall(callId: string) {
  const api = useReadApi();
  return useQuery({
    queryKey: queryKeys.call(callId),
    queryFn: async () => {
      try {
        const found = await api.request(
          `/api/v1/vapi/calls/${encodeURIComponent(callId)}`,
          callResultResponseSchema,
        );
        return { state: 'final' as const, ...found };
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          const parsed = callNotFoundSchema.safeParse(error.body);
          if (parsed.success)
            return parsed.data.known
              ? { state: 'pending' as const, status: parsed.data.callStatus }
              : { state: 'unknown' as const };
        }
        throw error;
      }
    },
  });
}

export function useCallEvents(callId: string) {
  const api = useReadApi();
  return useQuery({
    queryKey: queryKeys.callEvents(callId),
    queryFn: () =>
      api.request(
        `/api/v1/vapi/events?callId=${encodeURIComponent(callId)}&limit=250&include=payload`,
        vapiEventListResponseSchema,
      ),
  });
}

export function useDeleteCall() {
  const api = useReadApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (callId: string) =>
      api.request(`/api/v1/vapi/calls/${encodeURIComponent(callId)}`, deleteCallResponseSchema, {
        method: 'DELETE',
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['calls'] }),
  });
}

export function useEvents(filter: Record<string, string>) {
  const api = useReadApi();
  return useInfiniteQuery({
    queryKey: queryKeys.events(filter),
    queryFn: ({ pageParam }) => {
      const search = new URLSearchParams(filter);
      search.set('limit', '50');
      if (pageParam) search.set('cursor', pageParam);
      return api.request(`/api/v1/vapi/events?${search}`, vapiEventListResponseSchema);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.page.nextCursor,
  });
}

export function useReplayEvent() {
  const api = useReadApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (eventId: number) =>
      api.request(`/api/v1/vapi/events/${eventId}/replay`, replayEventResponseSchema, { method: 'POST' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['events'] });
      void client.invalidateQueries({ queryKey: ['call'] });
    },
  });
}

export function useStats(since: string, until: string) {
  const api = useReadApi();
  return useQuery({
    queryKey: queryKeys.stats(since, until),
    queryFn: () =>
      api.request(
        `/api/v1/vapi/stats?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`,
        vapiStatsResponseSchema,
      ),
  });
}

const RANGE_MAX_PAGES = 5;

/** Up to 500 calls created in the range, for the hourly charts (the stats route only gives totals). */
export function useCallsInRange(since: string, until: string) {
  const api = useReadApi();
  return useQuery({
    queryKey: queryKeys.callsInRange(since, until),
    queryFn: async () => {
      const calls: CallListItem[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < RANGE_MAX_PAGES; page += 1) {
        const response: CallListResponse = await api.request(
          `/api/v1/vapi/calls?${callListQuery({ since, until }, { limit: 100, cursor })}`,
          callListResponseSchema,
        );
        calls.push(...response.data);
        cursor = response.page.nextCursor;
        if (!cursor) return { calls, complete: true };
      }
      return { calls, complete: false };
    },
  });
}

export function useSimulateCall() {
  const api = useReadApi();
  return useMutation({
    mutationFn: () =>
      api.request('/api/v1/dev/simulate-call', simulateCallResponseSchema, { method: 'POST' }),
  });
}
