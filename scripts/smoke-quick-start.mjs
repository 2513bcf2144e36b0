// The pure parts of the smoke tests: find a README's quick start and what it prints, turn
// the ESM program into the same program in CommonJS, and compare printed output.

/**
 * The first js/ts code block under the README's "## Quick start" heading, and the lines of the
 * ```text block that follows "It prints:" (if any) before the next code block.
 * @param {string} readme
 * @returns {{ code: string, printed: string[] | undefined }}
 */
export function extractQuickStart(readme) {
  const section = /^## Quick start\s*$([\s\S]*?)(?=^## )/m.exec(`${readme}\n## `)?.[1];
  if (!section) throw new Error('README has no "## Quick start" section');
  const block = /^```(?:js|ts|javascript|typescript)\n([\s\S]*?)^```$/m.exec(section);
  if (!block) throw new Error('the "## Quick start" section has no js or ts code block');
  const after = section.slice(block.index + block[0].length);
  const next = /^```(\w*)\n([\s\S]*?)^```$/m.exec(after);
  const printed =
    next && next[1] === 'text' && /It prints:\s*$/.test(after.slice(0, next.index).trim())
      ? next[2].replace(/\n$/, '').split('\n')
      : undefined;
  return { code: block[1], printed };
}

/**
 * The same program as CommonJS: static imports become `require` calls, and the body runs in an
 * async function (CommonJS has no top-level await) whose failure sets a failing exit code.
 * @param {string} code
 */
export function toCommonJs(code) {
  const requires = [];
  const body = code.replace(
    /^import\s+(?:(\*\s+as\s+\w+)|(\w+)|\{([^}]*)\})\s+from\s+(['"][^'"]+['"]);?[ \t]*\n/gm,
    (_, namespace, name, named, from) => {
      if (namespace)
        requires.push(`const ${namespace.replace(/^\*\s+as\s+/, '')} = require(${from});`);
      else if (name) requires.push(`const ${name} = require(${from});`);
      else {
        const names = named
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && !s.startsWith('type '))
          .map((s) => s.replace(/\s+as\s+/, ': '));
        requires.push(`const { ${names.join(', ')} } = require(${from});`);
      }
      return '';
    },
  );
  if (/^\s*import\s/m.test(body))
    throw new Error('an import form toCommonJs does not know is left');
  const indented = body
    .trim()
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
  return `'use strict';\n${requires.join('\n')}\n\n(async () => {\n${indented}\n})().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
}

/**
 * Whether `expected` lines appear, in order, among the printed lines; `…` in an expected
 * line stands for any text.
 * @param {string} stdout
 * @param {string[]} expected
 */
export function matchesPrinted(stdout, expected) {
  const lines = stdout.split('\n').map((l) => l.trimEnd());
  let at = 0;
  for (const want of expected) {
    const pattern = new RegExp(`^${want.split('…').map(escapeRegExp).join('.*')}$`);
    while (at < lines.length && !pattern.test(lines[at])) at++;
    if (at === lines.length) return false;
    at++;
  }
  return true;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The program as a module whose body runs only when its `main` is called (workerd allows no
 * I/O at module scope): imports (or requires) stay on top, the rest becomes `main`'s body.
 * @param {string} code an ESM program, or the output of {@link toCommonJs} when `format` is cjs
 * @param {'esm' | 'cjs'} format
 */
export function toFunctionModule(code, format) {
  if (format === 'cjs') {
    return code.replace(
      /^\(async \(\) => \{\n([\s\S]*)\n\}\)\(\)\.catch\([\s\S]*$/m,
      'exports.main = async () => {\n$1\n};\n',
    );
  }
  const imports = [];
  const body = code.replace(/^import\s[\s\S]*?from\s+['"][^'"]+['"];?[ \t]*\n/gm, (statement) => {
    imports.push(statement.trimEnd());
    return '';
  });
  return `${imports.join('\n')}\n\nexport async function main() {\n${body.trim()}\n}\n`;
}
