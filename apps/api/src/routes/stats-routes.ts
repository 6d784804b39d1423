import { errorResponseSchema, vapiStatsResponseSchema } from '@callbridge/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ReadsSettings } from '../config/reads-settings.ts';
import { HttpError } from '../lib/http-errors.ts';
import { statsWindow } from '../lib/stats-window.ts';
import { statsDescription, statsQuerySchema } from '../schemas/stats-route-schemas.ts';
import { getStats } from '../services/stats-service.ts';

/** reads.statsMaxWindowDays: a wider window is refused (the percentiles sort every call in it). */
export type StatsRoutesOptions = Pick<ReadsSettings, 'statsMaxWindowDays'>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Calls and deliveries over a time window, for operators (same API keys as the read routes). */
export const statsRoutes: FastifyPluginAsyncZod<StatsRoutesOptions> = async (app, options) => {
  const maxWindowDays = options.statsMaxWindowDays;

  app.get(
    '/api/v1/vapi/stats',
    {
      schema: {
        tags: ['operations'],
        summary: 'Calls and deliveries over a time window',
        description: statsDescription(maxWindowDays),
        querystring: statsQuerySchema,
        response: { 200: vapiStatsResponseSchema, 400: errorResponseSchema },
      },
    },
    async (request) => {
      const window = statsWindow(request.query, new Date());
      if (window.since >= window.until) throw new HttpError(400, 'since must be before until');
      if (window.until.getTime() - window.since.getTime() > maxWindowDays * DAY_MS) {
        throw new HttpError(
          400,
          `The window is wider than ${maxWindowDays} day${maxWindowDays === 1 ? '' : 's'} (STATS_MAX_WINDOW_DAYS): ask for a shorter one, or several`,
        );
      }
      return { success: true as const, data: await getStats(app.supabase, window, request.readScope) };
    },
  );
};
