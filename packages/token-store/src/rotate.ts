// Key rotation without downtime: readers keep decrypting old rows through the keyring (by key
// id) while each row is re-encrypted under the current key by compare-and-swap. Each row is
// re-encrypted under its owner's refresh lock, because a rotation write landing between a
// refresh's token request and its write would make that write lose its compare-and-swap,
// and with it the only live refresh token.

import { codeOf } from '@x-oauth/internal';
import type { RecordOwner, StoredRow } from './backend.js';
import type { StoreConfig } from './config.js';
import { TokenStoreErrorCode } from './errors.js';
import type { RecordPayload } from './record-codec.js';
import { backendCall, type SealedRecords } from './sealed-records.js';
import type { RotateResult, TokenRecord } from './types.js';

const MAX_ATTEMPTS = 5;

type RowOutcome = 'rotated' | 'unchanged' | { failed: string };

/** Re-encrypts every row not under the current key; see `TokenStore.rotate`. */
export async function rotateKeys(
  config: StoreConfig,
  records: SealedRecords,
  options: { pageSize?: number | undefined } = {},
): Promise<RotateResult> {
  const currentKeyId = config.keyring.currentKeyId;
  // Rotation rewrites rows under another key: start from an empty decryption cache, so
  // nothing remembered from before it outlives the old ciphertexts.
  records.forgetDecrypted();
  let rotated = 0;
  let unchanged = 0;
  let retried = 0;
  const failures: { appId: string; userId: string; code: string }[] = [];
  const scan = config.backend.scanRows(
    options.pageSize === undefined ? {} : { pageSize: options.pageSize },
  );
  for await (const scanned of scan) {
    if (scanned.keyId === currentKeyId) {
      unchanged++;
      continue;
    }
    const owner: RecordOwner = { appId: scanned.appId, userId: scanned.userId };
    let outcome: RowOutcome;
    try {
      outcome = await rotateRow(config, records, owner, () => {
        retried++;
      });
    } catch (error) {
      outcome = { failed: codeOf(error) ?? 'UNKNOWN' };
    }
    if (outcome === 'rotated') rotated++;
    else if (outcome === 'unchanged') unchanged++;
    else failures.push({ appId: owner.appId, userId: owner.userId, code: outcome.failed });
  }
  return Object.freeze({
    rotated,
    unchanged,
    retried,
    failed: failures.length,
    failures: Object.freeze(failures),
  });
}

async function rotateRow(
  config: StoreConfig,
  records: SealedRecords,
  owner: RecordOwner,
  onRetry: () => void,
): Promise<RowOutcome> {
  const lock = await backendCall(() =>
    config.backend.acquireRefreshLock(owner, {
      ttlMs: config.lockTtlMs,
      waitMs: config.lockWaitMs,
    }),
  );
  try {
    for (let attempt = 1; ; attempt++) {
      const row = await backendCall(() => config.backend.read(owner));
      if (row === undefined || row.keyId === config.keyring.currentKeyId) return 'unchanged';
      const next = reseal(records, row);
      const written = await records.compareAndSwap(next, row.version);
      await records.addDueKeyUsage();
      if (written) return 'rotated';
      // Written by someone outside the lock (a put): read it again.
      if (attempt >= MAX_ATTEMPTS) return { failed: TokenStoreErrorCode.VersionConflict };
      onRetry();
    }
  } finally {
    await lock.release().catch(() => undefined);
  }
}

function reseal(records: SealedRecords, row: StoredRow): StoredRow {
  const record = records.open(row);
  return records.seal(row, payloadOf(record), row.version, row.status);
}

function payloadOf(record: TokenRecord): RecordPayload {
  return record.kind === 'oauth1'
    ? { kind: 'oauth1', oauth1: record.oauth1 }
    : { kind: 'oauth2', tokenSet: record.tokenSet };
}
