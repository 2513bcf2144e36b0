import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  extractQuickStart,
  matchesPrinted,
  toCommonJs,
  toFunctionModule,
} from './smoke-quick-start.mjs';

const fence = '```';
const readme = `# pkg

## Install

${fence}sh
npm i pkg
${fence}

## Quick start

Runs as written:

${fence}js
import { a, b as c } from 'pkg';
import * as all from 'node:path';
import def from 'pkg/def';

const x = await a();
console.log(c(x), all.sep, def);
${fence}

It prints:

${fence}text
1 / …
${fence}

## API
`;

let dir;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('extractQuickStart', () => {
  it('finds the first js block of the section and what it prints', () => {
    const { code, printed } = extractQuickStart(readme);
    expect(code.startsWith("import { a, b as c } from 'pkg';")).toBe(true);
    expect(code.trim().endsWith('console.log(c(x), all.sep, def);')).toBe(true);
    expect(printed).toEqual(['1 / …']);
  });

  it('has no printed lines without an "It prints:" text block', () => {
    const bare = readme.replace('It prints:', 'Then:');
    expect(extractQuickStart(bare).printed).toBeUndefined();
  });

  it('says what is missing', () => {
    expect(() => extractQuickStart('# pkg\n\n## API\n')).toThrow(/no "## Quick start" section/);
    expect(() => extractQuickStart('## Quick start\n\ntext only\n')).toThrow(
      /no js or ts code block/,
    );
  });

  it('reads every quick start of the repository', async () => {
    for (const pkg of ['oauth1-signature', 'bearer', 'pkce', 'token-store', 'client', 'emulator']) {
      const text = await readFile(new URL(`../packages/${pkg}/README.md`, import.meta.url), 'utf8');
      expect(extractQuickStart(text).code).toMatch(/from '@x-oauth\//);
    }
  });
});

describe('toCommonJs', () => {
  it('turns each import form into a require and wraps the body', () => {
    const cjs = toCommonJs(extractQuickStart(readme).code);
    expect(cjs).toContain("const { a, b: c } = require('pkg');");
    expect(cjs).toContain("const all = require('node:path');");
    expect(cjs).toContain("const def = require('pkg/def');");
    expect(cjs).not.toMatch(/^import /m);
    expect(cjs).toContain('(async () => {\n  const x = await a();');
  });

  it('gives a program that runs as CommonJS, and fails with a failing exit code', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cjs-'));
    const ok = "import { join } from 'node:path';\n\nconsole.log(join('a', 'b'));\nawait null;\n";
    await writeFile(join(dir, 'ok.cjs'), toCommonJs(ok));
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'ok.cjs')]);
    expect(stdout).toBe('a/b\n');
    await writeFile(join(dir, 'bad.cjs'), toCommonJs("throw new Error('boom');\n"));
    await expect(
      promisify(execFile)(process.execPath, [join(dir, 'bad.cjs')]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('boom'),
    });
  });
});

describe('toFunctionModule', () => {
  it('keeps the imports on top and defers the body to main()', () => {
    const esm = toFunctionModule("import { a } from 'pkg';\n\nawait a();\n", 'esm');
    expect(esm).toBe("import { a } from 'pkg';\n\nexport async function main() {\nawait a();\n}\n");
    const cjs = toFunctionModule(toCommonJs("import { a } from 'pkg';\n\nawait a();\n"), 'cjs');
    expect(cjs).toContain("const { a } = require('pkg');");
    expect(cjs).toContain('exports.main = async () => {\n  await a();\n};');
    expect(cjs).not.toContain('.catch(');
  });
});

describe('matchesPrinted', () => {
  it('finds the expected lines in order, … matching any text', () => {
    expect(
      matchesPrinted('noise\ntrue\n1 active {"a":"[redacted]"}\n', ['true', '1 active {…}']),
    ).toBe(true);
    expect(matchesPrinted('1 active\ntrue\n', ['true', '1 active'])).toBe(false);
    expect(matchesPrinted('true\n', ['true', 'more'])).toBe(false);
    expect(matchesPrinted('a.c\n', ['abc'])).toBe(false);
    expect(matchesPrinted('abc\n', ['a.c'])).toBe(false);
  });
});
