import { describe, expect, it } from 'vitest';
import { type DeadlineTimers, DeadlineWheel } from './deadline-wheel.js';

// Timers driven by hand: `advance(ms)` moves the clock and runs what is due.
function manualTimers(): DeadlineTimers & {
  advance(ms: number): void;
  pending(): number[];
} {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimer: (callback, ms) => {
      const id = nextId;
      nextId += 1;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimer: (id) => {
      timers.delete(id as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.callback();
        }
      }
    },
    pending: () => [...timers.values()].map((timer) => timer.at),
  };
}

describe('DeadlineWheel', () => {
  it('shares one signal and one timer among attempts started within a slot', () => {
    const timers = manualTimers();
    const wheel = new DeadlineWheel(timers);
    const first = wheel.attempt(undefined, 3200);
    timers.advance(50);
    const second = wheel.attempt(undefined, 3200);
    expect(second.signal).toBe(first.signal);
    // 3200 ms plus a slot of 3200 / 32 = 100 ms, from when the slot opened.
    expect(timers.pending()).toEqual([3300]);
    first.dispose();
    second.dispose();
  });

  it('aborts every attempt still in flight with a TimeoutError, never one that ran less', () => {
    const timers = manualTimers();
    const wheel = new DeadlineWheel(timers);
    const early = wheel.attempt(undefined, 3200);
    const done = wheel.attempt(undefined, 3200);
    done.dispose();
    timers.advance(99);
    const late = wheel.attempt(undefined, 3200);
    timers.advance(3200);
    expect(late.signal.aborted).toBe(false);
    timers.advance(1);
    expect(early.signal.aborted).toBe(true);
    expect(early.timedOut()).toBe(true);
    expect(late.timedOut()).toBe(true);
    expect((late.signal.reason as DOMException).name).toBe('TimeoutError');
    // The last attempt started 99 ms after the slot opened: it has run 3201 ms >= 3200.
    const next = wheel.attempt(undefined, 3200);
    expect(next.signal.aborted).toBe(false);
    expect(next.timedOut()).toBe(false);
    early.dispose();
    late.dispose();
    next.dispose();
  });

  it('clears the timer once no attempt is in flight, so nothing keeps the process alive', () => {
    const timers = manualTimers();
    const wheel = new DeadlineWheel(timers);
    const attempts = [wheel.attempt(undefined, 1000), wheel.attempt(undefined, 1000)];
    expect(timers.pending()).toHaveLength(1);
    for (const attempt of attempts) attempt.dispose();
    expect(timers.pending()).toEqual([]);
    // Disposing twice does not count twice.
    attempts[0]?.dispose();
    timers.advance(10_000);
    expect(attempts[0]?.signal.aborted).toBe(false);
    // The idle slot's signal is used again, its timer counting from the new start.
    const again = wheel.attempt(undefined, 1000);
    expect(again.signal).toBe(attempts[0]?.signal);
    expect(timers.pending()).toEqual([10_000 + 1000 + 1000 / 32]);
    again.dispose();
    expect(timers.pending()).toEqual([]);
  });

  it('opens a new slot after the slot time or 64 attempts, and per timeout', () => {
    const timers = manualTimers();
    const wheel = new DeadlineWheel(timers);
    const first = wheel.attempt(undefined, 3200);
    timers.advance(100);
    const afterSlot = wheel.attempt(undefined, 3200);
    expect(afterSlot.signal).not.toBe(first.signal);
    const otherTimeout = wheel.attempt(undefined, 6400);
    expect(otherTimeout.signal).not.toBe(afterSlot.signal);
    const batch = Array.from({ length: 64 }, () => wheel.attempt(undefined, 3200));
    expect(batch[62]?.signal).toBe(afterSlot.signal);
    expect(batch[63]?.signal).not.toBe(afterSlot.signal);
    for (const attempt of [first, afterSlot, otherTimeout, ...batch]) attempt.dispose();
    expect(timers.pending()).toEqual([]);
  });

  it("gives an attempt with a caller's signal its own signal, aborted with the caller's reason", () => {
    const wheel = new DeadlineWheel(manualTimers());
    const controller = new AbortController();
    const shared = wheel.attempt(undefined, 1000);
    const own = wheel.attempt(controller.signal, 1000);
    expect(own.signal).not.toBe(shared.signal);
    controller.abort(new Error('stop'));
    expect(own.signal.reason).toEqual(new Error('stop'));
    expect(own.timedOut()).toBe(false);
    expect(shared.signal.aborted).toBe(false);
    own.dispose();
    shared.dispose();
  });
});
