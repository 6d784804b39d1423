import type { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  key: string;
  request<Schema extends z.ZodType>(
    path: string,
    schema: Schema,
    init?: { method?: string; body?: unknown },
  ): Promise<z.output<Schema>>;
}

/**
 * Calls the API on the page's own origin with the signed-in key. Answers are checked against the
 * shared contract schemas, so a drift between API and dashboard shows as an error, not a blank view.
 */
export function createApi(key: string, onUnauthorized: () => void): Api {
  return {
    key,
    async request(path, schema, init = {}) {
      const response = await fetch(path, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${key}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const body: unknown = await response.json().catch(() => null);
      if (response.status === 401) onUnauthorized();
      if (!response.ok) {
        const message = (body as { message?: unknown } | null)?.message;
        throw new ApiError(
          response.status,
          typeof message === 'string' ? message : response.statusText,
          body,
        );
      }
      return schema.parse(body);
    },
  };
}
