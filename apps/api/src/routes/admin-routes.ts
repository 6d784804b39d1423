import type { FastifyPluginAsync } from 'fastify';
import type { AdminApiSettings } from '../config/admin-settings.ts';
import { adminAuthPlugin } from '../plugins/admin-auth.ts';
import { adminReadKeyRoutes } from './admin-read-key-routes.ts';
import { adminSourceRoutes } from './admin-source-routes.ts';

/** The admin API (sources and read keys) in its own scope, behind the admin keys. */
export const adminRoutes: FastifyPluginAsync<AdminApiSettings> = async (app, settings) => {
  await app.register(adminAuthPlugin, settings);
  await app.register(adminSourceRoutes, settings);
  await app.register(adminReadKeyRoutes, settings);
};
