// A small command-line parser: positional words, `--name value` / `--name=value` options that
// may repeat, and boolean `--flag`s. Which names take a value is declared, so a typo is an
// error instead of a silently ignored word.
import { CliError, CliErrorCode } from './errors.js';

/** What the parser accepts: option names (without `--`) that take a value, and boolean flags. */
export interface ArgumentSpec {
  readonly options: readonly string[];
  readonly flags: readonly string[];
}

/** The parsed command line. */
export interface ParsedArguments {
  readonly positionals: readonly string[];
  /** Every value of each option, in order. */
  readonly options: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
}

/**
 * Parses `argv` (without the node and script paths). `--` ends the options; `-h` is `--help`.
 * @throws {CliError} `CLI_USAGE` for an unknown option or a missing value.
 */
export function parseArguments(argv: readonly string[], spec: ArgumentSpec): ParsedArguments {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  let index = 0;
  while (index < argv.length) {
    const word = argv[index] ?? '';
    index += 1;
    if (word === '--') {
      positionals.push(...argv.slice(index));
      break;
    }
    if (word === '-h') {
      flags.add('help');
      continue;
    }
    if (!word.startsWith('--') || word === '--') {
      positionals.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const name = equals === -1 ? word.slice(2) : word.slice(2, equals);
    if (spec.flags.includes(name)) {
      if (equals !== -1) throw usage(`--${name} takes no value.`);
      flags.add(name);
      continue;
    }
    if (!spec.options.includes(name)) throw usage(`Unknown option --${name}.`);
    let value: string | undefined;
    if (equals !== -1) {
      value = word.slice(equals + 1);
    } else {
      value = argv[index];
      index += 1;
    }
    if (value === undefined) throw usage(`--${name} needs a value.`);
    const values = options.get(name) ?? [];
    values.push(value);
    options.set(name, values);
  }
  return { positionals, options, flags };
}

/** The last value of an option, or undefined. */
export function optionValue(parsed: ParsedArguments, name: string): string | undefined {
  return parsed.options.get(name)?.at(-1);
}

/**
 * `k=v` pairs of a repeated option as URL parameters (a name may repeat).
 * @throws {CliError} `CLI_USAGE` when a value has no `=`.
 */
export function keyValuePairs(parsed: ParsedArguments, name: string): URLSearchParams {
  const pairs = new URLSearchParams();
  for (const entry of parsed.options.get(name) ?? []) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw usage(`--${name} takes key=value (a name, "=", then the value).`);
    pairs.append(entry.slice(0, equals), entry.slice(equals + 1));
  }
  return pairs;
}

function usage(message: string): CliError {
  return new CliError(CliErrorCode.Usage, message);
}
