// Enforces the layer rule: a package may depend on (and import) only the packages below it.
// The order lives in one place, "x-oauth".layers in the root package.json; packages that are
// not layers (the emulator, apps) may use any layer, and layers may use them in tests only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// The workspace to check: the argument if given (the tests check fixtures), else this repository.
const root = process.argv[2] ? resolve(process.argv[2]) : new URL('..', import.meta.url).pathname;
const layers = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))['x-oauth'].layers;
const scope = '@x-oauth/';
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
    if (rank === -1) continue;
    const allowed = (dep) => rankOf(dep) < rank;
    const runtime = {
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.optionalDependencies,
    };
    for (const dep of Object.keys(runtime)) {
      if (!dep.startsWith(scope)) continue;
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
        } else if (!(dep in runtime)) {
          problems.push(
            `${relative(root, file)} imports ${dep}, which is not in ${manifest.name}'s dependencies`,
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
