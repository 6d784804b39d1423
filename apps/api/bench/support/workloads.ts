import type { LoadOptions } from './load-runner.ts';
import type { ReportPayloads } from './vapi-report.ts';

export type Workload = Pick<LoadOptions, 'url' | 'next'>;

/** Call ids unique per request within a run: `<prefix>-<n>`. */
function callIds(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** Signed end-of-call reports to the API's webhook, a new call each. */
export function signedIngest(apiUrl: string, payloads: ReportPayloads, prefix: string): Workload {
  const nextId = callIds(prefix);
  return {
    url: apiUrl,
    next() {
      const key = nextId();
      const { body, headers } = payloads.signedWebhook(key);
      return { key, request: { method: 'POST', path: '/api/v1/vapi/webhook', headers, body } };
    },
  };
}

/** The baseline: the same report as one single-row upsert straight into PostgREST. */
export function rawUpsert(
  stackUrl: string,
  serviceRoleKey: string,
  payloads: ReportPayloads,
  prefix: string,
): Workload {
  const nextId = callIds(prefix);
  const headers = {
    apikey: serviceRoleKey,
    authorization: `Bearer ${serviceRoleKey}`,
    'content-type': 'application/json',
    prefer: 'resolution=merge-duplicates,return=minimal',
  };
  return {
    url: stackUrl,
    next() {
      const key = nextId();
      const body = payloads.callRowJson(key);
      return {
        key,
        request: { method: 'POST', path: '/rest/v1/vapi_call_results?on_conflict=call_id', headers, body },
      };
    },
  };
}

function cycle(ids: string[]): () => string {
  if (ids.length === 0) throw new Error('no stored calls to read');
  let n = 0;
  return () => ids[n++ % ids.length] as string;
}

/** GET /api/v1/vapi/calls/:callId over stored calls, with an API key. */
export function apiReads(apiUrl: string, apiKey: string, ids: string[]): Workload {
  const nextId = cycle(ids);
  const headers = { authorization: `Bearer ${apiKey}` };
  return {
    url: apiUrl,
    next() {
      const key = nextId();
      return {
        key,
        request: { method: 'GET', path: `/api/v1/vapi/calls/${encodeURIComponent(key)}`, headers },
      };
    },
  };
}

/** The baseline: the same row by call id straight from PostgREST. */
export function rawReads(stackUrl: string, serviceRoleKey: string, ids: string[]): Workload {
  const nextId = cycle(ids);
  const headers = { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}` };
  return {
    url: stackUrl,
    next() {
      const key = nextId();
      return {
        key,
        request: {
          method: 'GET',
          path: `/rest/v1/vapi_call_results?call_id=eq.${encodeURIComponent(key)}`,
          headers,
        },
      };
    },
  };
}
