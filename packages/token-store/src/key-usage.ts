// Counts encryptions per key. AES-GCM with random 96-bit IVs is safe for at most 2^32
// encryptions under one key (NIST SP 800-38D §8.3), summed over every process, so the count
// lives in the backend. Counting in memory and adding in batches keeps a write from costing a
// second round trip; a crash loses at most one batch per key, which is noise next to 2^32.

import type { TokenBackend } from './backend.js';

/** Counts encryptions per key id and adds them to the backend's totals in batches. */
export class KeyUsageCounter {
  readonly #backend: TokenBackend;
  readonly #batchSize: number;
  readonly #pending = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(backend: TokenBackend, batchSize: number) {
    this.#backend = backend;
    this.#batchSize = batchSize;
  }

  /** One more encryption under `keyId`; flushes that key in the background at a full batch. */
  record(keyId: string): void {
    const count = (this.#pending.get(keyId) ?? 0) + 1;
    this.#pending.set(keyId, count);
    if (count >= this.#batchSize) this.#track(this.#flushKey(keyId));
  }

  /** Adds every pending count to the backend; a count that fails to flush is kept for later. */
  async flush(): Promise<void> {
    await Promise.all([...this.#inFlight]);
    const results = await Promise.allSettled(
      [...this.#pending.keys()].map((keyId) => this.#flushKey(keyId)),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  }

  /** The totals of the given keys after a flush (`addKeyUsage(id, 0)` reads a total). */
  async totals(keyIds: readonly string[]): Promise<Record<string, number>> {
    await this.flush();
    const totals: Record<string, number> = {};
    for (const keyId of keyIds) totals[keyId] = await this.#backend.addKeyUsage(keyId, 0);
    return totals;
  }

  async #flushKey(keyId: string): Promise<void> {
    const count = this.#pending.get(keyId) ?? 0;
    if (count === 0) return;
    this.#pending.delete(keyId);
    try {
      await this.#backend.addKeyUsage(keyId, count);
    } catch (error) {
      // Put the count back: an undercount would let a key run past its limit unnoticed.
      this.#pending.set(keyId, (this.#pending.get(keyId) ?? 0) + count);
      throw error;
    }
  }

  #track(flushing: Promise<void>): void {
    // A background flush that fails keeps its count for the next flush; nothing to report now.
    const settled = flushing.catch(() => undefined);
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
  }
}
