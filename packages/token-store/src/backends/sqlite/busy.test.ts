import { describe, expect, it } from 'vitest';
import { TokenStoreErrorCode } from '../../errors.js';
import { isSqliteBusy, withBusyRetry } from './busy.js';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('withBusyRetry', () => {
  it('retries SQLITE_BUSY asynchronously until the statement succeeds', async () => {
    let attempts = 0;
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 1);
    const result = await withBusyRetry('test', 2_000, () => {
      attempts += 1;
      if (attempts < 6) throw busy();
      return 'done';
    });
    clearInterval(ticker);
    expect(result).toBe('done');
    expect(attempts).toBe(6);
    expect(ticks).toBeGreaterThan(0); // the event loop ran between attempts
  });

  it('gives up after the retry budget with a retryable backend error', async () => {
    await expect(
      withBusyRetry('test', 30, () => {
        throw busy();
      }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.BackendError, retryable: true });
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    // As the backend calls it: awaited in an async function (the first attempt throws at once).
    const call = async () =>
      withBusyRetry('test', 1_000, () => {
        attempts += 1;
        throw Object.assign(new Error('CHECK constraint failed'), {
          code: 'SQLITE_CONSTRAINT_CHECK',
        });
      });
    await expect(call()).rejects.toMatchObject({
      code: TokenStoreErrorCode.BackendError,
      retryable: false,
    });
    expect(attempts).toBe(1);
  });

  it('runs beforeRetry before each retry, and stops retrying when it throws', async () => {
    let attempts = 0;
    let checks = 0;
    const closed = new Error('closed');
    await expect(
      withBusyRetry(
        'test',
        2_000,
        () => {
          attempts += 1;
          throw busy();
        },
        () => {
          checks += 1;
          if (checks === 3) throw closed;
        },
      ),
    ).rejects.toBe(closed);
    // The first attempt runs without a check; the third check stops the third retry.
    expect({ attempts, checks }).toEqual({ attempts: 3, checks: 3 });
  });

  it('recognizes the busy family of codes', () => {
    expect(isSqliteBusy({ code: 'SQLITE_BUSY_SNAPSHOT' })).toBe(true);
    expect(isSqliteBusy({ code: 'SQLITE_LOCKED' })).toBe(true);
    expect(isSqliteBusy({ code: 'SQLITE_CORRUPT' })).toBe(false);
    expect(isSqliteBusy('SQLITE_BUSY')).toBe(false);
  });
});
