import { errorResponseSchema, vapiStatsResponseSchema } from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HttpError } from '../lib/http-errors.ts';
import { statsWindow } from '../lib/stats-window.ts';
import { apiKeyBucket } from '../plugins/api-key-auth.ts';
import { statsQuerySchema } from '../schemas/stats-route-schemas.ts';
import { getStats } from '../services/stats-service.ts';

export interface StatsRoutesOptions {
  rateLimitPerMinute: number;
  /** STATS_MAX_WINDOW_DAYS: a wider window is refused (the percentiles sort every call in it). */
  maxWindowDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const authErrors = { 401: errorResponseSchema, 429: errorResponseSchema, 503: errorResponseSchema };

/** Calls and deliveries over a time window, for operators (same API keys as the read routes). */
export const statsRoutes: FastifyPluginAsyncZod<StatsRoutesOptions> = async (app, options) => {
  app.addHook('preHandler', app.requireApiKey);
  const rateLimit = { max: options.rateLimitPerMinute, timeWindow: '1 minute', keyGenerator: apiKeyBucket };

  app.get(
    '/api/v1/vapi/stats',
    {
      config: { rateLimit },
      schema: {
        tags: ['operations'],
        summary: 'Calls and deliveries over a time window',
        description:
          'Calls first seen in [since, until) by status and outcome, their duration (mean, p50, p95) and total cost; deliveries received in the window by type and outcome, the success rate and the most frequent failure codes. Default: the last 24 hours.' +
          ` At most ${options.maxWindowDays} days (STATS_MAX_WINDOW_DAYS); a wider window is refused with 400.`,
        security: [{ apiKey: [] }],
        querystring: statsQuerySchema,
        response: { 200: vapiStatsResponseSchema, 400: errorResponseSchema, ...authErrors },
      },
    },
    async (request) => {
      const window = statsWindow(request.query, new Date());
      if (window.since >= window.until) throw new HttpError(400, 'since must be before until');
      if (window.until.getTime() - window.since.getTime() > options.maxWindowDays * DAY_MS) {
        throw new HttpError(
          400,
          `The window is wider than ${options.maxWindowDays} day${options.maxWindowDays === 1 ? '' : 's'} (STATS_MAX_WINDOW_DAYS): ask for a shorter one, or several`,
        );
      }
      return { success: true as const, data: await getStats(app.supabase, window, request.readScope) };
    },
  );
};
