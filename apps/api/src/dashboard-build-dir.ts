import { fileURLToPath } from 'node:url';

/** apps/dashboard/dist, from src/ and from the bundled dist/ alike (both sit two levels under apps/). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));
