import { describe, expect, it } from 'vitest';
import { CorrectedClock, parseHttpDate } from './clock.js';

describe('CorrectedClock', () => {
  it("learns X's offset from a Date header", () => {
    let local = Date.parse('2026-01-01T00:00:00Z');
    const clock = new CorrectedClock(() => local);
    expect(clock.now()).toBe(local);
    expect(clock.learn('Thu, 01 Jan 2026 00:10:00 GMT')).toBe(true);
    expect(clock.offsetMs).toBe(600_000);
    local += 1000;
    expect(clock.now()).toBe(Date.parse('2026-01-01T00:10:01Z'));
  });
  it('ignores a missing or bad header', () => {
    const clock = new CorrectedClock(() => 0);
    expect(clock.learn(null)).toBe(false);
    expect(clock.learn('yesterday-ish')).toBe(false);
    expect(clock.offsetMs).toBe(0);
    expect(parseHttpDate('')).toBeUndefined();
  });
});
