// Dispatches a command line to its command, and turns every error into one short line.
import { type ArgumentSpec, parseArguments } from './args.js';
import { bearer } from './commands/bearer.js';
import { loginOAuth2 } from './commands/login-oauth2.js';
import { loginPin } from './commands/login-pin.js';
import { request } from './commands/request.js';
import { tokens } from './commands/tokens.js';
import { type CliContext, createContext } from './context.js';
import { CliError, CliErrorCode } from './errors.js';
import { describeError } from './format.js';
import type { CliIo } from './io.js';
import { USAGE } from './usage.js';

const SPEC: ArgumentSpec = {
  options: ['store', 'data-dir', 'json', 'query', 'form', 'access', 'scopes', 'user', 'timeout'],
  flags: ['app', 'invalidate', 'owner', 'help'],
};

type Command = (context: CliContext) => Promise<number>;

function commandOf(positionals: readonly string[]): Command | undefined {
  const [first, second] = positionals;
  switch (first) {
    case 'login':
      if (second === 'pin') return loginPin;
      if (second === 'oauth2') return loginOAuth2;
      return undefined;
    case 'request':
      return request;
    case 'bearer':
      return bearer;
    case 'tokens':
      return tokens;
    default:
      return undefined;
  }
}

/** Runs the CLI; resolves to the exit status (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let context: CliContext | undefined;
  try {
    const args = parseArguments(argv, SPEC);
    if (args.flags.has('help') || args.positionals.length === 0) {
      io.out(USAGE);
      return args.flags.has('help') ? 0 : 2;
    }
    const command = commandOf(args.positionals);
    if (command === undefined) {
      throw new CliError(CliErrorCode.Usage, `Unknown command "${args.positionals.join(' ')}".`);
    }
    context = createContext(io, args);
    return await command(context);
  } catch (error) {
    io.err(`${describeError(error)}\n`);
    if (error instanceof CliError && error.code === CliErrorCode.Usage) {
      io.err('Run `x-oauth --help` for the commands.\n');
      return 2;
    }
    return 1;
  } finally {
    await context?.close().catch(() => undefined);
  }
}
