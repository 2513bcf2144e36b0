// Per-attempt timeouts on shared signals, for the fetch transport. Handing fetch a signal costs far more than the timer:
// in Node 20 creating an AbortSignal builds an EventTarget, and undici ties each request to
// the signal with a listener, a WeakRef and a FinalizationRegistry entry (about 20 µs per
// request against the emulator, more than all of the client's own work). So attempts without
// a caller's signal that start within one short slot share one controller and one timer. The
// timer fires `timeoutMs + slotMs` after the slot opened, so every attempt it aborts has run
// for at least `timeoutMs` (and at most one slot more); it is cleared whenever the slot has no
// attempt in flight, so nothing keeps the process alive. An attempt with a caller's signal
// gets a signal of its own (attemptSignal), as both must abort it.
import { type AttemptSignal, attemptSignal, attemptTimeoutReason, timerDelay } from './deadline.js';

/**
 * Timers and a monotonic clock, injectable for tests.
 *
 * @see https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers
 */
export interface DeadlineTimers {
  /** Milliseconds from any fixed origin; `performance.now` by default. */
  readonly now: () => number;
  readonly setTimer: (callback: () => void, ms: number) => unknown;
  readonly clearTimer: (timer: unknown) => void;
}

// undici leaves each request's listener on the signal until the request is garbage
// collected: a bounded number per signal keeps adding listeners cheap and warning-free.
const MAX_ATTEMPTS_PER_SLOT = 64;
// How late a timeout may fire: 1/32 of it (3%), at most a second.
const SLOT_FRACTION = 1 / 32;
const MAX_SLOT_MS = 1000;
// Distinct timeouts kept; per-request `timeoutMs` values could otherwise grow the map.
const MAX_TIMEOUTS = 16;

const defaultTimers: DeadlineTimers = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

class Slot {
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  openedAt = 0;
  /** Attempts ever started in this slot. */
  started = 0;
  /** Attempts in flight. */
  active = 0;
  timer: unknown;
  fired = false;
}

class SharedAttempt implements AttemptSignal {
  readonly #slot: Slot;
  readonly #release: (slot: Slot) => void;
  #disposed = false;

  constructor(slot: Slot, release: (slot: Slot) => void) {
    this.#slot = slot;
    this.#release = release;
  }

  get signal(): AbortSignal {
    return this.#slot.signal;
  }

  timedOut(): boolean {
    return this.#slot.fired;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#release(this.#slot);
  }
}

/**
 * Hands out the signal of each attempt: shared by the attempts of a slot when there is no
 * caller's signal, the attempt's own otherwise. Either way the signal aborts with a
 * `TimeoutError` DOMException once the attempt has run `timeoutMs` (a shared one at most
 * `min(timeoutMs / 32, 1000)` ms later), and `timedOut()` tells a timeout from a caller's abort.
 *
 * @see https://dom.spec.whatwg.org/#interface-AbortSignal
 */
export class DeadlineWheel {
  readonly #timers: DeadlineTimers;
  readonly #slots = new Map<number, Slot>();
  readonly #release = (slot: Slot): void => {
    slot.active -= 1;
    if (slot.active === 0 && slot.timer !== undefined) {
      this.#timers.clearTimer(slot.timer);
      slot.timer = undefined;
    }
  };

  constructor(timers: DeadlineTimers = defaultTimers) {
    this.#timers = timers;
  }

  /** The signal of one attempt; call `dispose()` on it when the attempt ends. */
  attempt(callerSignal: AbortSignal | undefined, timeoutMs: number): AttemptSignal {
    if (callerSignal !== undefined) return attemptSignal(callerSignal, timeoutMs);
    const slot = this.#openSlot(timeoutMs);
    slot.started += 1;
    slot.active += 1;
    return new SharedAttempt(slot, this.#release);
  }

  #openSlot(timeoutMs: number): Slot {
    const now = this.#timers.now();
    const slotMs = Math.min(MAX_SLOT_MS, timeoutMs * SLOT_FRACTION);
    let slot = this.#slots.get(timeoutMs);
    if (
      slot === undefined ||
      slot.fired ||
      slot.started >= MAX_ATTEMPTS_PER_SLOT ||
      (slot.active > 0 && now - slot.openedAt >= slotMs)
    ) {
      slot = new Slot();
      if (this.#slots.size >= MAX_TIMEOUTS) this.#slots.clear();
      this.#slots.set(timeoutMs, slot);
    }
    if (slot.active === 0) {
      // An idle slot is opened again: its timer counts from now.
      const fired = slot;
      slot.openedAt = now;
      slot.timer = this.#timers.setTimer(
        () => {
          fired.fired = true;
          fired.timer = undefined;
          fired.controller.abort(attemptTimeoutReason());
        },
        timerDelay(timeoutMs + slotMs),
      );
    }
    return slot;
  }
}
