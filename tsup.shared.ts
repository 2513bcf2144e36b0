import { defineConfig, type Options } from 'tsup';

/**
 * The build every publishable package shares: ESM + CJS + `.d.ts` for the given entries,
 * one bundle per entry (no shared chunks), ES2022.
 */
export function packageBuild(entry: string[]): ReturnType<typeof defineConfig> {
  const options: Options = {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    splitting: false,
  };
  return defineConfig(options);
}
