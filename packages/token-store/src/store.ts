import { describeRedacted, inspectSymbol } from '@x-oauth/internal';
import type { TokenSet } from '@x-oauth/pkce';
import type { RecordOwner, StoredRow } from './backend.js';
import { resolveStoreConfig, type StoreConfig, type TokenStoreOptions } from './config.js';
import { TokenStoreError, TokenStoreErrorCode } from './errors.js';
import { FreshTokenSets } from './fresh-token-set.js';
import { KeyUsageCounter } from './key-usage.js';
import { validateOwner } from './owner.js';
import { parseOAuth1, parseTokenSet, type RecordPayload } from './record-codec.js';
import { rotateKeys } from './rotate.js';
import { backendCall, recordOf, SealedRecords } from './sealed-records.js';
import type {
  FreshTokenSetOptions,
  KeyUsage,
  OAuth1CredentialsFields,
  OAuth1Record,
  OAuth2Record,
  RefreshCallback,
  RotateResult,
  TokenReader,
  TokenRecord,
  TokenStore,
  TokenWriter,
  WriteOptions,
} from './types.js';

// An unconditional write is a compare-and-swap on the version just read; a few attempts
// ride out concurrent writers, after which the caller hears of the contention.
const MAX_UNCONDITIONAL_ATTEMPTS = 5;

/**
 * Creates a token store over a backend and a keyring: `store.reader` (read-only) for request
 * paths, `store.writer` for authorization flows and refresh, `rotate`, `keyUsage`, `close`.
 * Tokens are encrypted with AES-256-GCM before they reach the backend, bound to their owner
 * (app, user) and kind. Throws `TOKEN_STORE_INVALID_CONFIG` on malformed options, including a
 * `lockTtlMs` not longer than `tokenRequestTimeoutMs + writeTimeoutMs`.
 *
 * @example
 * const store = createTokenStore({ backend: createMemoryBackend(), keyring });
 * await store.writer.putOAuth2('my-app', 'user-1', tokenSet);
 * const fresh = await store.writer.getFreshTokenSet('my-app', 'user-1', (current, signal) =>
 *   refreshToken({ client, tokenSet: current, signal }),
 * );
 */
export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const config = resolveStoreConfig(options);
  const usage = new KeyUsageCounter(config.backend, config.keyUsageBatchSize, config.now);
  const records = new SealedRecords(config, usage);
  const state = new StoreState(config.backend.name);
  const fresh = new FreshTokenSets(config, records);
  const reader = new StoreReader(records, state);
  const writer = new StoreWriter(records, state, fresh);
  return new Store(config, records, usage, state, reader, writer);
}

// Whether the store is closed, shared by the store and its handles.
class StoreState {
  closed = false;
  readonly backendName: string;

  constructor(backendName: string) {
    this.backendName = backendName;
  }

  ensureOpen(): void {
    if (this.closed) {
      throw new TokenStoreError(TokenStoreErrorCode.BackendError, 'The token store is closed.');
    }
  }
}

class Store implements TokenStore {
  readonly reader: TokenReader;
  readonly writer: TokenWriter;
  readonly #config: StoreConfig;
  readonly #records: SealedRecords;
  readonly #usage: KeyUsageCounter;
  readonly #state: StoreState;
  #closing: Promise<void> | undefined;

  constructor(
    config: StoreConfig,
    records: SealedRecords,
    usage: KeyUsageCounter,
    state: StoreState,
    reader: TokenReader,
    writer: TokenWriter,
  ) {
    this.#config = config;
    this.#records = records;
    this.#usage = usage;
    this.#state = state;
    this.reader = reader;
    this.writer = writer;
    Object.freeze(this);
  }

  async rotate(options: { pageSize?: number } = {}): Promise<RotateResult> {
    this.#state.ensureOpen();
    return rotateKeys(this.#config, this.#records, options);
  }

  async keyUsage(): Promise<KeyUsage> {
    this.#state.ensureOpen();
    return Object.freeze(await backendCall(() => this.#usage.totals(this.#config.keyring.keyIds)));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#state.closed = true;
    this.#records.forgetDecrypted();
    try {
      await backendCall(() => this.#usage.flush());
    } finally {
      await backendCall(() => this.#config.backend.close());
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      backend: this.#state.backendName,
      currentKeyId: this.#config.keyring.currentKeyId,
      closed: this.#state.closed,
    };
  }

  [inspectSymbol](): string {
    return describeRedacted('TokenStore', this.toJSON());
  }
}

// The read-only handle: a separate class with only `get`, so a request path handed the
// reader cannot write, neither by type nor at run time.
class StoreReader implements TokenReader {
  readonly #records: SealedRecords;
  readonly #state: StoreState;

  constructor(records: SealedRecords, state: StoreState) {
    this.#records = records;
    this.#state = state;
    Object.freeze(this);
  }

  get(appId: string, userId: string): Promise<TokenRecord | undefined> {
    // Not an async function: the read path's promise is returned as it is, one layer less on
    // the hottest call. A refused call still rejects rather than throws.
    try {
      this.#state.ensureOpen();
      return this.#records.readRecord(validateOwner(appId, userId));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  toJSON(): Record<string, unknown> {
    return { handle: 'reader', backend: this.#state.backendName };
  }

  [inspectSymbol](): string {
    return describeRedacted('TokenReader', this.toJSON());
  }
}

class StoreWriter implements TokenWriter {
  readonly #records: SealedRecords;
  readonly #state: StoreState;
  readonly #fresh: FreshTokenSets;

  constructor(records: SealedRecords, state: StoreState, fresh: FreshTokenSets) {
    this.#records = records;
    this.#state = state;
    this.#fresh = fresh;
    Object.freeze(this);
  }

  async get(appId: string, userId: string): Promise<TokenRecord | undefined> {
    this.#state.ensureOpen();
    return await this.#records.readRecord(validateOwner(appId, userId));
  }

  async putOAuth1(
    appId: string,
    userId: string,
    credentials: OAuth1CredentialsFields,
    options: WriteOptions = {},
  ): Promise<OAuth1Record> {
    this.#state.ensureOpen();
    const owner = validateOwner(appId, userId);
    const oauth1 = parseOAuth1(credentials);
    const payload = { kind: 'oauth1', oauth1 } as const;
    const row = await this.#write(owner, payload, options);
    await this.#records.addDueKeyUsage();
    return recordOf(row, owner, payload);
  }

  async putOAuth2(
    appId: string,
    userId: string,
    tokenSet: TokenSet,
    options: WriteOptions = {},
  ): Promise<OAuth2Record> {
    this.#state.ensureOpen();
    const owner = validateOwner(appId, userId);
    const set = parseTokenSet(tokenSet);
    const payload = { kind: 'oauth2', tokenSet: set } as const;
    const row = await this.#write(owner, payload, options);
    await this.#records.addDueKeyUsage();
    return recordOf(row, owner, payload);
  }

  async delete(appId: string, userId: string, options: WriteOptions = {}): Promise<boolean> {
    this.#state.ensureOpen();
    const owner = validateOwner(appId, userId);
    const expected = expectedVersionOf(options);
    if (expected !== undefined) {
      if (await this.#records.delete(owner, expected)) return true;
      const row = await backendCall(() => this.#records.backend.read(owner));
      if (row === undefined) return false;
      throw versionConflict(false);
    }
    for (let attempt = 0; attempt < MAX_UNCONDITIONAL_ATTEMPTS; attempt++) {
      const row = await backendCall(() => this.#records.backend.read(owner));
      if (row === undefined) return false;
      if (await this.#records.delete(owner, row.version)) return true;
    }
    throw versionConflict(true);
  }

  async markNeedsReauth(
    appId: string,
    userId: string,
    expectedVersion: number,
  ): Promise<TokenRecord> {
    this.#state.ensureOpen();
    const owner = validateOwner(appId, userId);
    const expected = expectedVersionOf({ expectedVersion });
    if (expected === undefined) throw invalidArgument('expectedVersion is required.');
    const current = await this.#records.read(owner);
    if (current === undefined) {
      throw new TokenStoreError(TokenStoreErrorCode.NotFound, 'No record is stored for this user.');
    }
    if (current.row.version !== expected) throw versionConflict(false);
    const next = this.#records.withStatus(current.row, 'needs_reauth');
    if (!(await this.#records.compareAndSwap(next, expected))) throw versionConflict(false);
    return Object.freeze({ ...current.record, ...recordBase(next) });
  }

  async getFreshTokenSet(
    appId: string,
    userId: string,
    refresh: RefreshCallback,
    options: FreshTokenSetOptions = {},
  ): Promise<TokenSet> {
    this.#state.ensureOpen();
    const owner = validateOwner(appId, userId);
    if (typeof refresh !== 'function') {
      throw invalidArgument('refresh must be a function (current, signal) => Promise<TokenSet>.');
    }
    try {
      return await this.#fresh.get(owner, refresh, rejectedAccessTokenOf(options));
    } finally {
      // A refresh encrypts its new pair; a read that found a valid token leaves nothing to add.
      await this.#records.addDueKeyUsage();
    }
  }

  async #write(
    owner: RecordOwner,
    payload: RecordPayload,
    options: WriteOptions,
  ): Promise<StoredRow> {
    const expected = expectedVersionOf(options);
    if (expected !== undefined) {
      const row = this.#records.seal(owner, payload, expected, 'active');
      if (await this.#records.compareAndSwap(row, expected)) return row;
      throw versionConflict(false);
    }
    for (let attempt = 0; attempt < MAX_UNCONDITIONAL_ATTEMPTS; attempt++) {
      // The raw row is enough: its version is all a replacing write needs, and a row that no
      // longer decrypts can still be replaced.
      const current = await backendCall(() => this.#records.backend.read(owner));
      const version = current?.version ?? 0;
      const row = this.#records.seal(owner, payload, version, 'active');
      if (await this.#records.compareAndSwap(row, version)) return row;
    }
    throw versionConflict(true);
  }

  toJSON(): Record<string, unknown> {
    return { handle: 'writer', backend: this.#state.backendName };
  }

  [inspectSymbol](): string {
    return describeRedacted('TokenWriter', this.toJSON());
  }
}

function recordBase(row: StoredRow) {
  return {
    appId: row.appId,
    userId: row.userId,
    version: row.version,
    status: row.status,
    updatedAt: row.updatedAt,
  };
}

function expectedVersionOf(options: WriteOptions): number | undefined {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument('options must be an object.');
  }
  const { expectedVersion } = options;
  if (expectedVersion === undefined) return undefined;
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw invalidArgument('expectedVersion must be a non-negative integer (0: no record yet).');
  }
  return expectedVersion;
}

function rejectedAccessTokenOf(options: FreshTokenSetOptions): string | undefined {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument('options must be an object.');
  }
  const { rejectedAccessToken } = options;
  if (rejectedAccessToken === undefined) return undefined;
  // The message names the rule, never the value: it is a (refused) access token.
  if (typeof rejectedAccessToken !== 'string' || rejectedAccessToken === '') {
    throw invalidArgument('rejectedAccessToken must be a non-empty string.');
  }
  return rejectedAccessToken;
}

function versionConflict(retryable: boolean): TokenStoreError {
  return new TokenStoreError(
    TokenStoreErrorCode.VersionConflict,
    retryable
      ? 'The record kept changing under concurrent writers; try again.'
      : 'The record changed since it was read (its version moved): read it again and retry.',
    { retryable },
  );
}

function invalidArgument(message: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidArgument, message);
}
