// Dispatches a command line to its command, and turns every error into one short line (plus,
// when X explained its refusal, X's own words, and a hint when a stale emulator address is
// the likely cause). With --verbose every request to X is printed on stderr as it completes.
import { DemoStoreError } from '../store.js';
import { formatWireEntry } from '../wire/format.js';
import { WireRecorder, withWireRecorder, xSaidAbout } from '../wire/recorder.js';
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
import { LOGIN_USAGE, USAGE } from './usage.js';

const SPEC: ArgumentSpec = {
  options: ['store', 'data-dir', 'json', 'query', 'form', 'access', 'scopes', 'user', 'timeout'],
  flags: ['app', 'invalidate', 'owner', 'help', 'verbose'],
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

const NETWORK_CODES = new Set(['X_NETWORK_ERROR', 'PKCE_NETWORK_ERROR', 'BEARER_NETWORK_ERROR']);

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

/** Runs the CLI; resolves to the exit status (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let context: CliContext | undefined;
  const recorder = new WireRecorder({
    onEntry: (entry) => {
      if (context?.args.flags.has('verbose') === true) io.err(formatWireEntry(entry));
    },
  });
  try {
    const args = parseArguments(argv, SPEC);
    if (args.positionals.length === 0) {
      io.out(USAGE);
      return args.flags.has('help') ? 0 : 2;
    }
    if (args.positionals[0] === 'login' && commandOf(args.positionals) === undefined) {
      io.out(LOGIN_USAGE);
      if (args.flags.has('help') || args.positionals.length === 1) {
        return args.flags.has('help') ? 0 : 2;
      }
      throw new CliError(
        CliErrorCode.Usage,
        `Unknown login method "${args.positionals.slice(1).join(' ')}": use login pin or login oauth2.`,
      );
    }
    if (args.flags.has('help')) {
      io.out(USAGE);
      return 0;
    }
    const command = commandOf(args.positionals);
    if (command === undefined) {
      throw new CliError(CliErrorCode.Usage, `Unknown command "${args.positionals.join(' ')}".`);
    }
    const ready = createContext(io, args);
    context = ready;
    return await withWireRecorder(recorder, () => command(ready));
  } catch (error) {
    io.err(`${describeError(error)}\n`);
    const said = withWireRecorder(recorder, () => xSaidAbout(error));
    if (said !== undefined) io.err(`X said: ${said}\n`);
    const file = context?.targetFile();
    const code = codeOf(error);
    if (file !== undefined && code !== undefined && NETWORK_CODES.has(code)) {
      io.err(
        `The emulator address comes from ${file}, written by a \`pnpm demo\` that is no longer running. Start the demo again (\`npm run demo\`), or point X_OAUTH_EMULATOR_URL at a running emulator (\`pnpm emulator\`).\n`,
      );
    }
    if (error instanceof DemoStoreError) return 2;
    if (error instanceof CliError && error.code === CliErrorCode.Usage) {
      io.err('Run `x-oauth --help` for the commands.\n');
      return 2;
    }
    return 1;
  } finally {
    await context?.close().catch(() => undefined);
  }
}
