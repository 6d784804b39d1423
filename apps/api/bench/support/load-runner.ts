import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Called once per request: `key` names what it writes or reads (a call id), to check afterwards. */
  next: () => { key: string; request: LoadRequest };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Keys of the requests answered 2xx. */
  okKeys: string[];
  failed: number;
  errors: number;
}

interface Context {
  key?: string;
}

/** One round of closed-loop load with autocannon; req/s counts 2xx answers only. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const okKeys: string[] = [];
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [
      {
        setupRequest: (request, context: Context) => {
          const { key, request: next } = options.next();
          context.key = key;
          return { ...request, ...next };
        },
        onResponse: (status, _body, context: Context) => {
          if (status >= 200 && status < 300 && context.key !== undefined) okKeys.push(context.key);
        },
      },
    ],
  });
  return {
    requestsPerSecond: okKeys.length / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    okKeys,
    failed: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
