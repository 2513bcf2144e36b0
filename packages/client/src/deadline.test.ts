import { describe, expect, it } from 'vitest';
import { attemptSignal } from './deadline.js';

describe('attemptSignal', () => {
  it('aborts with a TimeoutError after the timeout', async () => {
    const attempt = attemptSignal(undefined, 10);
    await new Promise((resolve) => attempt.signal.addEventListener('abort', resolve));
    expect(attempt.timedOut()).toBe(true);
    expect((attempt.signal.reason as DOMException).name).toBe('TimeoutError');
  });
  it("aborts with the caller's reason, already aborted or later", () => {
    const controller = new AbortController();
    const attempt = attemptSignal(controller.signal, 10_000);
    controller.abort(new Error('stop'));
    expect(attempt.signal.reason).toEqual(new Error('stop'));
    expect(attempt.timedOut()).toBe(false);
    attempt.dispose();
    const early = attemptSignal(AbortSignal.abort(new Error('early')), 10_000);
    expect(early.signal.aborted).toBe(true);
    early.dispose();
  });
  it('does nothing once disposed', async () => {
    const controller = new AbortController();
    const attempt = attemptSignal(controller.signal, 5);
    attempt.dispose();
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(attempt.signal.aborted).toBe(false);
  });
});
