import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { DEFAULT_DASHBOARD_DIR } from '../../dashboard-build-dir.ts';

export const DASHBOARD_PREFIX = '/dashboard';

/**
 * Serves the built dashboard (apps/dashboard/dist) at /dashboard on the API's own origin, so it calls
 * the API without CORS. Any /dashboard/* path that is not a file gets index.html: the app routes in the
 * browser. Without a build the routes answer a 404 that says how to make one.
 */
export const dashboardStaticPlugin = fp<{ dir?: string }>(
  async (app, options) => {
    const root = options.dir ?? DEFAULT_DASHBOARD_DIR;
    const built = existsSync(`${root}/index.html`);
    if (!built) {
      app.log.info(
        { root },
        'no dashboard build: /dashboard is off (pnpm --filter @callbridge/dashboard build)',
      );
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: `${DASHBOARD_PREFIX}/`,
      wildcard: false,
      index: ['index.html'],
      // Vite puts a content hash in asset names: those may be cached for good, index.html must not be.
      setHeaders: (response, filePath) => {
        response.setHeader(
          'cache-control',
          filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    app.get(DASHBOARD_PREFIX, { schema: { hide: true } }, (_request, reply) =>
      reply.redirect(`${DASHBOARD_PREFIX}/`),
    );
    app.get(`${DASHBOARD_PREFIX}/*`, { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html'),
    );
  },
  { name: 'dashboard-static' },
);
