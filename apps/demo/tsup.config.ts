import { defineConfig } from 'tsup';

// The demo is an app, not a library: ESM only, no declarations.
export default defineConfig({
  entry: ['src/start.ts', 'src/cli.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
