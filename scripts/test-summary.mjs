// Sums the vitest JSON reports that scripts/test.sh asks every package for, and prints one
// closing line "tests: N passed, N failed, N skipped" so CI (and people) see the whole count.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0 };
const perPackage = [];

const reportDirs = ['scripts'];
for (const group of ['packages', 'apps']) {
  const groupDir = join(root, group);
  if (existsSync(groupDir))
    for (const name of readdirSync(groupDir)) reportDirs.push(`${group}/${name}`);
}

for (const dir of reportDirs) {
  const reportPath = join(root, dir, '.vitest-report.json');
  if (!existsSync(reportPath)) continue;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const passed = report.numPassedTests ?? 0;
  const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  perPackage.push(`${dir}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

console.log(perPackage.join('\n'));
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (totals.failed > 0 || totals.passed === 0) process.exit(1);
