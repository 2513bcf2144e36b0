// Remembers what recent rows decrypted to, so reading an unchanged row again skips AES-GCM
// and the JSON decoding. An entry is used only for a row whose envelope text is identical,
// under the same owner, kind and key id: the same ciphertext with the same associated data
// and key decrypts to the same plaintext, and GCM authenticated exactly those bytes when the
// entry was made. Any other row (a new write, another IV, a changed or copied byte) misses
// and is decrypted, and fails, as without the cache. It holds decrypted tokens in this
// process's memory, as the records a caller keeps do; size 0 turns it off.

import type { RecordKind, RecordOwner } from './backend.js';
import type { RecordPayload } from './record-codec.js';

interface CacheEntry {
  readonly appId: string;
  readonly userId: string;
  readonly envelope: string;
  readonly keyId: string;
  readonly kind: RecordKind;
  readonly payload: RecordPayload;
  /** Its place on the clock. */
  readonly slot: number;
  /** Read since it was inserted or since the clock hand last passed it. */
  used: boolean;
}

/**
 * A bounded map from owner to what its row's envelope last decrypted to. Eviction is the
 * CLOCK algorithm (an approximation of least-recently-used): entries sit in a ring of slots,
 * and a hand sweeps it for one not read since the hand last passed, sparing (and unflagging)
 * those that were. A hit only sets a flag, and an eviction is constant time on average.
 */
export class DecryptionCache {
  readonly #maxEntries: number;
  // By app id, then user id: looking up the caller's two strings as they are is cheaper than
  // building (and hashing) one key from them on every read.
  readonly #byOwner = new Map<string, Map<string, CacheEntry>>();
  #slots: (CacheEntry | undefined)[] = [];
  #freeSlots: number[] = [];
  #hand = 0;
  #size = 0;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** How many owners are remembered. */
  get size(): number {
    return this.#size;
  }

  /**
   * The payload `envelope` decrypted to for `owner`, when that exact envelope, kind and key
   * id were decrypted before; else undefined.
   */
  lookup(
    owner: RecordOwner,
    envelope: string,
    keyId: string,
    kind: RecordKind,
  ): RecordPayload | undefined {
    if (this.#size === 0) return undefined;
    const entry = this.#byOwner.get(owner.appId)?.get(owner.userId);
    if (
      entry === undefined ||
      entry.envelope !== envelope ||
      entry.keyId !== keyId ||
      entry.kind !== kind
    ) {
      return undefined;
    }
    entry.used = true;
    return entry.payload;
  }

  /** Remembers that `envelope`, authenticated and decrypted for `owner`, holds `payload`. */
  remember(
    owner: RecordOwner,
    envelope: string,
    keyId: string,
    kind: RecordKind,
    payload: RecordPayload,
  ): void {
    if (this.#maxEntries === 0) return;
    this.forget(owner);
    const slot =
      this.#freeSlots.pop() ??
      (this.#slots.length < this.#maxEntries ? this.#slots.length : this.#evictOne());
    const { appId, userId } = owner;
    const entry: CacheEntry = { appId, userId, envelope, keyId, kind, payload, slot, used: false };
    this.#slots[slot] = entry;
    let users = this.#byOwner.get(appId);
    if (users === undefined) {
      users = new Map();
      this.#byOwner.set(appId, users);
    }
    users.set(userId, entry);
    this.#size++;
  }

  /** Drops the owner's entry: its row was written or deleted, so the tokens need not linger. */
  forget(owner: RecordOwner): void {
    if (this.#size === 0) return;
    const entry = this.#byOwner.get(owner.appId)?.get(owner.userId);
    if (entry === undefined) return;
    this.#unlink(entry);
    this.#freeSlots.push(entry.slot);
  }

  /** Drops every entry (key rotation, close). */
  clear(): void {
    this.#byOwner.clear();
    this.#slots = [];
    this.#freeSlots = [];
    this.#hand = 0;
    this.#size = 0;
  }

  // Called only when every slot is taken. Ends within two turns of the hand: each entry it
  // spares loses its flag.
  #evictOne(): number {
    for (;;) {
      const slot = this.#hand;
      this.#hand = slot + 1 === this.#slots.length ? 0 : slot + 1;
      const entry = this.#slots[slot];
      if (entry === undefined) return slot;
      if (entry.used) {
        entry.used = false;
      } else {
        this.#unlink(entry);
        return slot;
      }
    }
  }

  #unlink(entry: CacheEntry): void {
    this.#slots[entry.slot] = undefined;
    this.#size--;
    const users = this.#byOwner.get(entry.appId);
    if (users === undefined) return;
    users.delete(entry.userId);
    if (users.size === 0) this.#byOwner.delete(entry.appId);
  }
}
