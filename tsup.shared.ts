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
    // Marks these calls pure in the output, so a browser bundler drops a module-level
    // `Symbol.for(...)` or `new TextEncoder()` that the imported exports never use.
    esbuildOptions(esbuild) {
      esbuild.pure = ['Symbol.for', 'TextEncoder'];
    },
  };
  return defineConfig(options);
}
