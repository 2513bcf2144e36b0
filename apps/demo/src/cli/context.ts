// What every command shares: the target (emulator or X), the data directory, the token store
// (opened on first use and closed at the end) and the output.
import { resolve } from 'node:path';
import type { TokenStore } from '@x-oauth/token-store';
import { type DemoConfig, demoConfig } from '../config.js';
import { openDemoStore } from '../store.js';
import { optionValue, type ParsedArguments } from './args.js';
import { withEmulatorEnv } from './emulator-env.js';
import type { CliIo } from './io.js';

/** A command's view of the CLI. */
export interface CliContext {
  readonly io: CliIo;
  readonly args: ParsedArguments;
  /**
   * The target, read on first use from the environment, or from `<dataDir>/emulator.env`
   * (written by `pnpm demo`) when the environment names none; a `DemoConfigError` names what
   * is missing.
   */
  readonly config: () => DemoConfig;
  /** The `emulator.env` file the target was read from, once `config()` ran and used one. */
  readonly targetFile: () => string | undefined;
  /** Absolute; created 0700 on first use. */
  readonly dataDir: string;
  /** `--store`, as given. */
  readonly storeOption: string | undefined;
  /** Opens the token store once; later calls return the same one. */
  readonly openStore: () => Promise<TokenStore>;
  /** Closes the store if it was opened. */
  readonly close: () => Promise<void>;
}

/** The data directory: `--data-dir`, else `X_OAUTH_DATA_DIR`, else `.x-oauth` in the working directory. */
export function dataDirOf(args: ParsedArguments, io: CliIo): string {
  const given = optionValue(args, 'data-dir') ?? io.env.X_OAUTH_DATA_DIR;
  return resolve(io.cwd, given === undefined || given === '' ? '.x-oauth' : given);
}

/** Builds the context; nothing is read or opened until a command asks for it. */
export function createContext(io: CliIo, args: ParsedArguments): CliContext {
  const dataDir = dataDirOf(args, io);
  let target: DemoConfig | undefined;
  let targetFile: string | undefined;
  const config = (): DemoConfig => {
    if (target === undefined) {
      const { env, file } = withEmulatorEnv(io.env, dataDir);
      if (file !== undefined) io.err(`Using the emulator described in ${file}.\n`);
      targetFile = file;
      target = demoConfig(env);
    }
    return target;
  };
  const storeOption = optionValue(args, 'store') ?? io.env.X_OAUTH_STORE;
  let opened: Promise<TokenStore> | undefined;
  const openStore = (): Promise<TokenStore> => {
    opened ??= (async () => {
      const { store } = await openDemoStore({
        store: storeOption,
        dataDir,
        env: io.env,
        log: (line) => io.err(`${line}\n`),
      });
      return store;
    })();
    return opened;
  };
  const close = async (): Promise<void> => {
    if (opened === undefined) return;
    const store = await opened.catch(() => undefined);
    await store?.close();
  };
  return {
    io,
    args,
    config,
    targetFile: () => targetFile,
    dataDir,
    storeOption,
    openStore,
    close,
  };
}
