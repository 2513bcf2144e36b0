#!/usr/bin/env node
// Size budgets of the browser entries: each budget bundles a tiny program that imports only
// the named exports from the built package (dist), as a browser bundler would (esbuild,
// platform browser, minified, tree-shaken), and gzips it.
//   node scripts/size-budgets.mjs           check: exit 1 when an entry grows past its ceiling
//                                           (its budget, or while a budget is not yet met, the
//                                           size it has today, so that it can only shrink)
//   node scripts/size-budgets.mjs --strict  exit 1 when any budget is exceeded (release:dry)
//   node scripts/size-budgets.mjs --json    print the measurements as JSON
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The budgets, in bytes of minified + gzipped output. `ceiling`, where present, is the size an
 * entry that does not yet meet its budget may not grow past; lower it as the entry shrinks and
 * remove it once the budget is met.
 */
export const budgets = [
  {
    name: 'signRequest alone',
    pkg: 'oauth1-signature',
    imports: ['signRequest'],
    limit: 3 * 1024,
    ceiling: 3.25 * 1024,
  },
  {
    name: 'PKCE path',
    pkg: 'pkce',
    imports: ['createAuthorization', 'handleCallback', 'exchangeCode', 'refreshToken'],
    limit: 6 * 1024,
  },
  {
    name: "bearer's provider",
    pkg: 'bearer',
    imports: ['BearerTokenProvider'],
    limit: 4 * 1024,
    ceiling: 6.25 * 1024,
  },
];

/**
 * Bundles `imports` of `@x-oauth/<pkg>` for browsers and returns the byte counts: what the
 * page loads up front (the entry and the chunks it imports statically) and, apart, what it
 * loads only on first use (code behind a dynamic `import()`, split off as browser bundlers do).
 * @param {{ pkg: string, imports: string[] }} budget
 */
export async function measure(budget) {
  const name = `@x-oauth/${budget.pkg}`;
  const contents = `import { ${budget.imports.join(', ')} } from '${name}';\nglobalThis.__keep = [${budget.imports.join(', ')}];\n`;
  const result = await build({
    stdin: { contents, resolveDir: join(root, 'packages', budget.pkg), loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    splitting: true,
    outdir: join(root, '.size-budgets'),
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    // The package resolves itself by name (its own "exports"), like an installed dependency.
    alias: { [name]: join(root, 'packages', budget.pkg) },
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint !== undefined);
  const upFront = new Set([entry]);
  for (const file of upFront) {
    for (const imported of outputs[file].imports) {
      if (imported.kind === 'import-statement') upFront.add(imported.path);
    }
  }
  const bytesOf = (files) => {
    const code = Buffer.concat(
      result.outputFiles
        .filter((file) => files.has(relative(root, file.path)))
        .map((file) => file.contents),
    );
    return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
  };
  const lazy = new Set(Object.keys(outputs).filter((file) => !upFront.has(file)));
  const inputs = {};
  for (const file of upFront) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[file].inputs)) {
      const shown = input.replace(/^.*?packages\//, 'packages/');
      inputs[shown] = (inputs[shown] ?? 0) + bytesInOutput;
    }
  }
  return {
    ...bytesOf(upFront),
    onFirstUse: lazy.size === 0 ? undefined : bytesOf(lazy),
    inputs: Object.fromEntries(Object.entries(inputs).sort((a, b) => b[1] - a[1])),
  };
}

/** Formats a byte count as KB with two decimals (1 KB = 1024 bytes). */
export function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`;
}

async function main() {
  const json = process.argv.includes('--json');
  const results = [];
  for (const budget of budgets) {
    const version = JSON.parse(
      readFileSync(join(root, 'packages', budget.pkg, 'package.json'), 'utf8'),
    ).version;
    results.push({ ...budget, version, ...(await measure(budget)) });
  }
  if (json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  const strict = process.argv.includes('--strict');
  let failed = 0;
  for (const r of results) {
    const withinBudget = r.gzipped <= r.limit;
    const bound = strict ? r.limit : (r.ceiling ?? r.limit);
    if (r.gzipped > bound) failed += 1;
    const status = withinBudget ? 'ok  ' : r.gzipped <= bound ? 'over' : 'FAIL';
    const held = withinBudget || r.ceiling === undefined ? '' : `, held under ${kb(r.ceiling)}`;
    const later =
      r.onFirstUse === undefined ? '' : `; ${kb(r.onFirstUse.gzipped)} more loaded on first use`;
    console.log(
      `${status} @x-oauth/${r.pkg} ${r.name} (${r.imports.join(', ')}): ${kb(r.gzipped)} min+gz (${kb(r.minified)} min), budget ${kb(r.limit)}${held}${later}`,
    );
  }
  if (failed > 0) {
    console.error(
      `\n${failed} size ${strict ? 'budget(s) exceeded' : 'ceiling(s) exceeded: an entry grew'}. Run \`node scripts/size-budgets.mjs --json\` to see which files take the bytes.`,
    );
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
