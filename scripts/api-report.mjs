#!/usr/bin/env node
// Public API reports with API Extractor: one reviewed report per entry point of each published
// package, committed as packages/<pkg>/etc/<pkg>[-<subpath>].api.md, made from the built
// declarations (dist/*.d.ts) that users get.
//   node scripts/api-report.mjs          check: fails when an exported API differs from its report
//   node scripts/api-report.mjs --write  rewrite the reports (review the diff, add a changeset)
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const write = process.argv.includes('--write');

/** The entry points of a package: [report name, the ESM declaration file]. */
function entryPoints(dir, manifest) {
  const unscoped = manifest.name.replace(/^@[^/]+\//, '');
  const entries = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== 'object' || target === null) continue;
    const types = target.import?.types;
    if (!types) continue;
    const suffix = subpath === '.' ? '' : `-${subpath.slice(2).replaceAll('/', '-')}`;
    entries.push([`${unscoped}${suffix}`, join(dir, types)]);
  }
  return entries;
}

let failed = 0;
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  for (const [report, declarations] of entryPoints(dir, manifest)) {
    if (!existsSync(declarations)) {
      console.error(`api-report: ${declarations} is missing; build first (pnpm build).`);
      failed += 1;
      continue;
    }
    const temp = join(root, '.x-oauth', 'api-report', name);
    mkdirSync(temp, { recursive: true });
    mkdirSync(join(dir, 'etc'), { recursive: true });
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: dir,
        mainEntryPointFilePath: declarations,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'es2022',
              module: 'esnext',
              moduleResolution: 'bundler',
              lib: ['es2022', 'dom'],
              types: ['node'],
              typeRoots: [join(root, 'node_modules/@types')],
              strict: true,
              skipLibCheck: true,
            },
            files: [declarations],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: `${report}.api.md`,
          reportFolder: join(dir, 'etc'),
          reportTempFolder: temp,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          // The packages mark nothing @public/@beta: everything exported is public.
          extractorMessageReporting: {
            default: { logLevel: 'warning' },
            'ae-missing-release-tag': { logLevel: 'none' },
            'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
            // Documentation gaps and links are TSDoc's business, not the API's.
            'ae-undocumented': { logLevel: 'none' },
            'ae-unresolved-link': { logLevel: 'none' },
          },
          // TSDoc style is the style guide's business (and Biome's), not the report's.
          tsdocMessageReporting: { default: { logLevel: 'none' } },
          compilerMessageReporting: { default: { logLevel: 'warning' } },
        },
      },
      configObjectFullPath: join(dir, 'api-extractor.json'),
      packageJsonFullPath: join(dir, 'package.json'),
    });
    const result = Extractor.invoke(config, {
      localBuild: write,
      messageCallback: (message) => {
        if (
          message.logLevel === ExtractorLogLevel.Warning ||
          message.logLevel === ExtractorLogLevel.Error
        ) {
          console.error(`api-report: ${report}: ${message.text}`);
        }
        message.handled = true;
      },
    });
    if (result.apiReportChanged && !write) {
      console.error(
        `api-report: the public API of ${manifest.name} (${report}) differs from packages/${name}/etc/${report}.api.md.\n` +
          '  If the change is meant: run `node scripts/api-report.mjs --write`, review and commit the report,\n' +
          '  and add a changeset whose bump fits (an addition: minor; a removal or changed signature: major,\n' +
          '  or minor with migration notes while at 0.x).',
      );
      failed += 1;
    } else if (!result.succeeded) {
      console.error(`api-report: ${report}: API Extractor reported ${result.errorCount} error(s).`);
      failed += 1;
    } else if (result.apiReportChanged) {
      console.log(`api-report: wrote packages/${name}/etc/${report}.api.md`);
    }
  }
}
if (failed > 0) process.exitCode = 1;
