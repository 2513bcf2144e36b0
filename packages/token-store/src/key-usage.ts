// Counts encryptions per key. AES-GCM with random 96-bit IVs is safe for at most 2^32
// encryptions under one key (NIST SP 800-38D §8.3), summed over every process, so the count
// lives in the backend. Counting in memory and adding in batches keeps a write from costing a
// second round trip; a crash loses at most one batch per key, which is noise next to 2^32.
//
// The write that completes a batch adds it after its own statement, before it returns, rather
// than beside the next write: run beside it, the addition took a second pooled connection, and
// on PostgreSQL the writes that followed moved between server processes and cost 100 to 200
// µs more each, one at a time (the benchmark's control, poolSize 1 against 10).

import type { TokenBackend } from './backend.js';

/** Counts encryptions per key id and adds them to the backend's totals in batches. */
export class KeyUsageCounter {
  readonly #backend: TokenBackend;
  readonly #batchSize: number;
  readonly #pending = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();
  // Whether some key's count reached a batch: every write asks, and almost always hears no.
  #fullBatch = false;

  constructor(backend: TokenBackend, batchSize: number) {
    this.#backend = backend;
    this.#batchSize = batchSize;
  }

  /** One more encryption under `keyId`; added to the backend by {@link flushFullBatches}. */
  record(keyId: string): void {
    const count = (this.#pending.get(keyId) ?? 0) + 1;
    this.#pending.set(keyId, count);
    if (count >= this.#batchSize) this.#fullBatch = true;
  }

  /**
   * Adds every key's count that reached a full batch to the backend, for a write to await once
   * its row is written. Never throws: a count that fails to flush is kept for the next flush.
   */
  async flushFullBatches(): Promise<void> {
    if (!this.#fullBatch) return;
    this.#fullBatch = false;
    const full = [...this.#pending].filter(([, count]) => count >= this.#batchSize);
    if (full.length === 0) return;
    await Promise.all(full.map(([keyId]) => this.#track(this.#flushKey(keyId))));
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
      const restored = (this.#pending.get(keyId) ?? 0) + count;
      this.#pending.set(keyId, restored);
      if (restored >= this.#batchSize) this.#fullBatch = true;
      throw error;
    }
  }

  // Known to flush() (close, keyUsage), which waits for it. A batch flush that fails keeps its
  // count for the next flush; nothing to report to the write that ran it.
  #track(flushing: Promise<void>): Promise<void> {
    const settled = flushing.catch(() => undefined);
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    return settled;
  }
}
