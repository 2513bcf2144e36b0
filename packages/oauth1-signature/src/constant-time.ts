/**
 * Compares two strings without an early exit, so the time taken does not reveal how many
 * leading characters match (for signatures, states and other secrets). Only their lengths
 * may leak.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let index = 0; index < length; index++) {
    // charCodeAt past the end is NaN, and NaN | 0 is 0: the loop runs the same either way.
    difference |= (a.charCodeAt(index) | 0) ^ (b.charCodeAt(index) | 0);
  }
  return difference === 0;
}
