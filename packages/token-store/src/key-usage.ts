// Counts encryptions per key. AES-GCM with random 96-bit IVs is safe for at most 2^32
// encryptions under one key (NIST SP 800-38D §8.3), summed over every process, so the count
// lives in the backend. Counting in memory and adding in batches keeps a write from costing a
// second statement; a crash loses what was not added yet, which is noise next to 2^32.
//
// Counts are added once a key's count reaches a batch, or all of them at the first encryption
// a minute or more after the last addition by age, whichever comes first: a busy process adds
// one statement per batch of writes (with SQLite's synchronous=FULL, one more fsync; on
// PostgreSQL, one more round trip), and a quiet one does not sit on a batch's worth of counts
// for hours.
//
// The write that makes counts due adds them after its own statement, before it returns,
// rather than beside the next write: run beside it, the addition took a second pooled
// connection, and on PostgreSQL the writes that followed moved between server processes and
// cost 100 to 200 µs more each, one at a time (the benchmark's control, poolSize 1 against 10).

import type { TokenBackend } from './backend.js';

/** How long counts may wait in memory once a write has come after them, in ms. */
const KEY_USAGE_MAX_AGE_MS = 60_000;

/** Counts encryptions per key id and adds them to the backend's totals in batches. */
export class KeyUsageCounter {
  readonly #backend: TokenBackend;
  readonly #batchSize: number;
  readonly #now: () => number;
  readonly #pending = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();
  // When counts were last added by age (or the counter made): the clock for the minute.
  #agedAt: number;
  // Whether some counts are due: every write asks, and almost always hears no.
  #due = false;

  constructor(backend: TokenBackend, batchSize: number, now: () => number) {
    this.#backend = backend;
    this.#batchSize = batchSize;
    this.#now = now;
    this.#agedAt = now();
  }

  /**
   * One more encryption under `keyId`, made at `at` (the store's clock); added to the backend
   * by {@link addDueCounts}.
   */
  record(keyId: string, at: number): void {
    const count = (this.#pending.get(keyId) ?? 0) + 1;
    this.#pending.set(keyId, count);
    if (count >= this.#batchSize || at - this.#agedAt >= KEY_USAGE_MAX_AGE_MS) {
      this.#due = true;
    }
  }

  /**
   * Adds the due counts to the backend: every key's count that reached a batch, or every
   * count once a minute has passed since the last addition by age. For a write to await once
   * its row is written. Never throws: a count that fails to be added is kept, and tried again
   * at the next write.
   */
  async addDueCounts(): Promise<void> {
    if (!this.#due) return;
    this.#due = false;
    const now = this.#now();
    const aged = now - this.#agedAt >= KEY_USAGE_MAX_AGE_MS;
    if (aged) this.#agedAt = now;
    const due = [...this.#pending]
      .filter(([, count]) => aged || count >= this.#batchSize)
      .map(([keyId]) => this.#track(this.#add(keyId)));
    await Promise.all(due);
  }

  /** Adds every pending count to the backend; a count that fails to be added is kept for later. */
  async flush(): Promise<void> {
    await Promise.all([...this.#inFlight]);
    const results = await Promise.allSettled(
      [...this.#pending.keys()].map((keyId) => this.#add(keyId)),
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

  async #add(keyId: string): Promise<void> {
    const count = this.#pending.get(keyId) ?? 0;
    if (count === 0) return;
    this.#pending.delete(keyId);
    try {
      await this.#backend.addKeyUsage(keyId, count);
    } catch (error) {
      // Put the count back, due at the next write however small: an undercount would let a key
      // run past its limit unnoticed.
      this.#pending.set(keyId, (this.#pending.get(keyId) ?? 0) + count);
      this.#agedAt = Number.NEGATIVE_INFINITY;
      this.#due = true;
      throw error;
    }
  }

  // Known to flush() (close, keyUsage), which waits for it. An addition that fails keeps its
  // count for the next; nothing to report to the write that ran it.
  #track(adding: Promise<void>): Promise<void> {
    const settled = adding.catch(() => undefined);
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    return settled;
  }
}
