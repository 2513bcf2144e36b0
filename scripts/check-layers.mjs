// Enforces the layer rule: a package may depend on (and import) only the packages below it.
// The order lives in one place, "x-oauth".layers in the root package.json; packages that are
// not layers (the emulator, apps) may use any layer, and layers may use them in tests only.
// "x-oauth".bundled names the private layer-0 package of shared code: never published, so a
// published package lists it as a dev dependency only and bundles it at build time.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const scope = '@x-oauth/';
// The workspace to check: the argument if given (the tests check fixtures), else this repository.
const root = process.argv[2] ? resolve(process.argv[2]) : new URL('..', import.meta.url).pathname;
const config = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))['x-oauth'];
const layers = config.layers;
const bundled = new Set((config.bundled ?? []).map((name) => scope + name));
const problems = [];

function rankOf(name) {
  return name.startsWith(scope) ? layers.indexOf(name.slice(scope.length)) : -1;
}

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(c|m)?tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [path] : [];
  });
}

const importPattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](@x-oauth\/[a-z0-9-]+)/g;

for (const group of ['packages', 'apps']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const dir of readdirSync(groupDir)) {
    const manifestPath = join(groupDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const rank = rankOf(manifest.name);
    if (
      group === 'packages' &&
      manifest.name.startsWith(scope) &&
      rank === -1 &&
      !manifest['x-oauth']?.tool
    ) {
      problems.push(
        `${manifest.name} is neither in "x-oauth".layers nor marked "x-oauth": { "tool": true }`,
      );
    }
    if (bundled.has(manifest.name)) {
      if (manifest.private !== true)
        problems.push(
          `${manifest.name} is bundled into the other packages and must never be published: set "private": true`,
        );
      if (rank !== 0)
        problems.push(`${manifest.name} is bundled, so it must be the first of "x-oauth".layers`);
    }
    if (rank === -1) continue;
    const allowed = (dep) => rankOf(dep) < rank;
    const runtime = {
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    };
    // What src may import: runtime dependencies, and bundled packages listed as dev dependencies.
    const importable = { ...runtime };
    for (const dep of Object.keys(manifest.devDependencies ?? {})) {
      if (bundled.has(dep)) importable[dep] = manifest.devDependencies[dep];
    }
    for (const dep of Object.keys(runtime)) {
      if (!dep.startsWith(scope)) continue;
      if (bundled.has(dep) && manifest.private !== true) {
        problems.push(
          `${manifest.name} depends at runtime on ${dep}, which is never published: list it in devDependencies (the build bundles it)`,
        );
        continue;
      }
      if (rankOf(dep) === -1)
        problems.push(
          `${manifest.name} depends at runtime on ${dep}, which is not a layer (tools are for tests only)`,
        );
      else if (!allowed(dep))
        problems.push(`${manifest.name} depends on ${dep}, which is not below it`);
    }
    for (const dep of Object.keys(manifest.devDependencies ?? {})) {
      if (dep.startsWith(scope) && rankOf(dep) !== -1 && !allowed(dep)) {
        problems.push(`${manifest.name} has a dev dependency on ${dep}, which is not below it`);
      }
    }
    for (const file of sourceFiles(join(groupDir, dir, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
        const dep = match[1];
        if (dep === manifest.name) continue;
        if (!allowed(dep) || rankOf(dep) === -1) {
          problems.push(
            `${relative(root, file)} imports ${dep}; ${manifest.name} may import only ${
              layers
                .slice(0, rank)
                .map((l) => scope + l)
                .join(', ') || 'no other package'
            }`,
          );
        } else if (!(dep in importable)) {
          problems.push(
            `${relative(root, file)} imports ${dep}, which is not in ${manifest.name}'s ${
              bundled.has(dep) ? 'devDependencies (it is bundled at build time)' : 'dependencies'
            }`,
          );
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`Layer rule broken (order: ${layers.join(' < ')}):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`layers ok: ${layers.join(' < ')}`);
