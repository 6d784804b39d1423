import { z } from 'zod';

// The API serves the dashboard with `script-src 'self'` (no eval): zod's JIT probe (`new Function`)
// would be refused and reported as a CSP violation even though zod falls back. Imported first.
z.config({ jitless: true });
