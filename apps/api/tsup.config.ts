import { defineConfig } from 'tsup';

// A single ESM bundle for production (`node dist/server.js`): workspace packages are bundled in, npm
// dependencies stay external.
export default defineConfig({
  entry: { server: 'src/main.ts' },
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  clean: true,
  sourcemap: true,
  noExternal: [/^@callbridge\//],
});
