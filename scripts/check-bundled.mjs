// Fails when a package's build output still refers to a bundled (never published) workspace
// package, "x-oauth".bundled in the root package.json: its code and types must be inlined by
// the build, or installing the published package would break. Run in the package directory
// after the build (its `lint` script does).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bundled = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))['x-oauth'].bundled ?? []
).map((name) => `@x-oauth/${name}`);
const dist = join(process.cwd(), 'dist');
if (!existsSync(dist)) {
  console.error(`No dist/ in ${process.cwd()}: build the package first.`);
  process.exit(1);
}
const problems = [];
for (const file of readdirSync(dist, { recursive: true })) {
  if (!/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file)) continue;
  const text = readFileSync(join(dist, file), 'utf8');
  for (const name of bundled) {
    if (new RegExp(`['"]${name}(/[^'"]*)?['"]`).test(text)) {
      problems.push(`dist/${file} imports ${name}, which is never published`);
    }
  }
}
if (problems.length > 0) {
  console.error(
    `Bundled packages must be inlined by the build (tsup.shared.ts):\n- ${problems.join('\n- ')}`,
  );
  process.exit(1);
}
console.log(`bundled ok: no reference to ${bundled.join(', ')} in dist/`);
