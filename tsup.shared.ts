import { resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

// The private workspace package of shared code. It is never published, so every package
// bundles what it uses of it, code and types alike: no published package depends on it.
const BUNDLED = ['@x-oauth/internal'];
// For the `.d.ts` bundler, a path mapping to the sources: resolved through node_modules, the
// package would count as an external library and its types would be left as an import.
// Builds run in the package's directory, beside packages/internal.
const BUNDLED_TYPES = { '@x-oauth/internal': [resolve('../internal/src/index.ts')] };

/**
 * The build every publishable package shares: ESM + CJS + `.d.ts` for the given entries,
 * one bundle per entry (no shared chunks), ES2022, with `@x-oauth/internal` inlined.
 */
export function packageBuild(entry: string[]): ReturnType<typeof defineConfig> {
  const options: Options = {
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { paths: BUNDLED_TYPES } },
    noExternal: BUNDLED,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    splitting: false,
    // Marks these calls pure in the output, so a browser bundler drops a module-level
    // `Symbol.for(...)` or `new TextEncoder()` that the imported exports never use.
    esbuildOptions(esbuild, { format }) {
      esbuild.pure = ['Symbol.for', 'TextEncoder'];
      // A lazy `import()` of a dependency becomes `require()` in the CommonJS build, where
      // runners without ESM support (Jest's default) cannot follow a dynamic import.
      if (format === 'cjs') esbuild.supported = { 'dynamic-import': false };
    },
  };
  return defineConfig(options);
}
