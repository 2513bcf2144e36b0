export type {
  MeterProviderLike,
  TelemetryOptions,
  TracerProviderLike,
} from '@x-oauth/internal';
export type {
  HeldLock,
  RecordKind,
  RecordOwner,
  RecordStatus,
  StoredRow,
  TokenBackend,
} from './backend.js';
export { createMemoryBackend, type MemoryBackendOptions } from './backends/memory/backend.js';
export type { TokenStoreOptions } from './config.js';
export {
  createKeyring,
  type KeyMaterial,
  Keyring,
  type KeyringConfig,
  keyFromPassphrase,
  type ScryptParameters,
} from './crypto/keyring.js';
export {
  createKeyringSource,
  isKeyringSource,
  type KeyringLoader,
  KeyringSource,
  type KeyringSourceOptions,
  keyringFromEnv,
  keyringFromFile,
} from './crypto/keyring-source.js';
export {
  isTokenStoreError,
  TokenStoreError,
  TokenStoreErrorCode,
  type TokenStoreErrorDetails,
} from './errors.js';
export { MAX_OWNER_ID_LENGTH, validateOwner } from './owner.js';
export { createTokenStore } from './store.js';
export type { RefreshOutcome } from './telemetry.js';
export {
  type Clock,
  type FreshTokenSetOptions,
  type KeyUsage,
  type OAuth1AccessLevel,
  OAuth1Credentials,
  type OAuth1CredentialsFields,
  type OAuth1Record,
  type OAuth2Record,
  type RandomSource,
  type RefreshCallback,
  type RotateResult,
  type TokenReader,
  type TokenRecord,
  type TokenRecordBase,
  type TokenStore,
  type TokenWriter,
  type WriteOptions,
} from './types.js';
