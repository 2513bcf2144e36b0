#!/usr/bin/env node
// A changed API report (packages/<pkg>/etc/*.api.md) must come with a changeset for that
// package whose bump fits the change:
//   - only additions: at least minor;
//   - a removal or a changed signature: major, or while the package is at 0.x a minor whose
//     text has migration notes (it says how to migrate).
// Compares the working tree with the merge base of a base ref (default: origin/main, else main).
//   node scripts/check-api-changesets.mjs [workspace] [--base <ref>]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const rank = { patch: 1, minor: 2, major: 3 };

/** Lines of an API report that carry API (not the header, fences or blank lines). */
export function apiLines(report) {
  return report
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(
      (line) =>
        line.trim() !== '' &&
        !line.startsWith('```') &&
        !line.startsWith('## ') &&
        !line.startsWith('> '),
    );
}

/**
 * What changed between two reports: 'none', 'addition' (lines only added) or 'breaking'
 * (a line removed or changed, which is how a changed signature shows).
 */
export function classify(before, after) {
  const count = new Map();
  for (const line of apiLines(before)) count.set(line, (count.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of apiLines(after)) {
    const left = count.get(line) ?? 0;
    if (left > 0) count.set(line, left - 1);
    else added += 1;
  }
  const removed = [...count.values()].reduce((sum, n) => sum + n, 0);
  if (removed > 0) return 'breaking';
  return added > 0 ? 'addition' : 'none';
}

/** The bumps a changeset file declares, and its text. */
export function parseChangeset(text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) return { bumps: {}, summary: '' };
  const bumps = {};
  for (const line of match[1].split('\n')) {
    const entry = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
    if (entry) bumps[entry[1]] = entry[2];
  }
  return { bumps, summary: match[2] };
}

/** Whether a changeset text tells how to migrate. */
export function hasMigrationNotes(summary) {
  return /\bmigrat(e|ion|ing)\b/i.test(summary);
}

/**
 * Checks every changed report of `workspace` against `base`; returns the problems found.
 * @param {string} workspace
 * @param {string} base a git ref
 */
export function check(workspace, base) {
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: workspace,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  const mergeBase = git('merge-base', base, 'HEAD').trim();
  const existedAtBase = (path) => {
    try {
      git('cat-file', '-e', `${mergeBase}:${path}`);
      return true;
    } catch {
      return false;
    }
  };
  const atBase = (path) => (existedAtBase(path) ? git('show', `${mergeBase}:${path}`) : '');

  // Changesets that are new since the base: the ones this change brings.
  const changesetDir = join(workspace, '.changeset');
  const changesets = existsSync(changesetDir)
    ? readdirSync(changesetDir)
        .filter((file) => file.endsWith('.md') && file !== 'README.md')
        .filter((file) => !existedAtBase(`.changeset/${file}`))
        .map((file) => ({
          file,
          ...parseChangeset(readFileSync(join(changesetDir, file), 'utf8')),
        }))
    : [];

  const problems = [];
  const packagesDir = join(workspace, 'packages');
  for (const dir of existsSync(packagesDir) ? readdirSync(packagesDir).sort() : []) {
    const etc = join(packagesDir, dir, 'etc');
    const manifestPath = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const reports = new Set(
      existsSync(etc) ? readdirSync(etc).filter((f) => f.endsWith('.api.md')) : [],
    );
    // Reports deleted since the base are removals too.
    for (const line of git('ls-tree', '--name-only', `${mergeBase}`, `packages/${dir}/etc/`).split(
      '\n',
    )) {
      if (line.endsWith('.api.md')) reports.add(line.slice(`packages/${dir}/etc/`.length));
    }
    // A package's first reports are the baseline, not a change.
    const hadReports = [...reports].some((report) =>
      existedAtBase(`packages/${dir}/etc/${report}`),
    );
    if (!hadReports) continue;
    let change = 'none';
    const changedReports = [];
    for (const report of [...reports].sort()) {
      const path = `packages/${dir}/etc/${report}`;
      const after = existsSync(join(workspace, path))
        ? readFileSync(join(workspace, path), 'utf8')
        : '';
      const kind = classify(atBase(path), after);
      if (kind === 'none') continue;
      changedReports.push(
        `${report} (${kind === 'breaking' ? 'removal or changed signature' : 'addition'})`,
      );
      if (kind === 'breaking' || change === 'none') change = kind;
    }
    if (change === 'none') continue;

    const needed =
      change === 'addition' ? 'minor' : manifest.version.startsWith('0.') ? 'minor' : 'major';
    const mine = changesets.filter((c) => c.bumps[manifest.name]);
    const fitting = mine.filter(
      (c) =>
        rank[c.bumps[manifest.name]] >= rank[needed] &&
        (change !== 'breaking' ||
          c.bumps[manifest.name] === 'major' ||
          hasMigrationNotes(c.summary)),
    );
    if (fitting.length > 0) continue;
    const what = changedReports.join(', ');
    const how =
      change === 'addition'
        ? `a changeset with "${manifest.name}": minor (or major)`
        : needed === 'major'
          ? `a changeset with "${manifest.name}": major`
          : `a changeset with "${manifest.name}": minor (or major) whose text says how to migrate`;
    const found =
      mine.length === 0
        ? 'none names the package'
        : mine
            .map(
              (c) =>
                `${c.file} bumps ${c.bumps[manifest.name]}${change === 'breaking' && !hasMigrationNotes(c.summary) ? ' without migration notes' : ''}`,
            )
            .join('; ');
    problems.push(
      `${manifest.name}: the API report changed (${what}); add ${how} under .changeset/ (found: ${found}).`,
    );
  }
  return problems;
}

function defaultBase(workspace) {
  for (const ref of ['origin/main', 'main']) {
    try {
      execFileSync('git', ['rev-parse', '--verify', '--quiet', ref], {
        cwd: workspace,
        stdio: 'ignore',
      });
      return ref;
    } catch {}
  }
  return undefined;
}

function main() {
  const { values, positionals } = parseArgs({
    options: { base: { type: 'string' } },
    allowPositionals: true,
  });
  const workspace = positionals[0] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
  const base = values.base ?? defaultBase(workspace);
  if (!base) {
    console.log(
      'check-api-changesets: no base branch (origin/main or main) to compare with; nothing to check.',
    );
    return;
  }
  let problems;
  try {
    problems = check(workspace, base);
  } catch (error) {
    console.error(
      `check-api-changesets: cannot compare with ${base} (${error.message.split('\n')[0]}); a shallow clone needs its history: git fetch --unshallow.`,
    );
    process.exitCode = 1;
    return;
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`check-api-changesets: ${problem}`);
    process.exitCode = 1;
    return;
  }
  console.log(
    `check-api-changesets: every changed API report since ${base} has a fitting changeset.`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
