import { defineConfig } from 'tsup';

// ESM bundles for production (`node dist/server.js`, and `node dist/drain-spool.js` for a dead instance's spool): workspace packages are bundled in, npm
// dependencies stay external.
export default defineConfig({
  entry: { server: 'src/main.ts', 'drain-spool': 'src/drain-spool.ts' },
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  clean: true,
  sourcemap: true,
  noExternal: [/^@callbridge\//],
});
