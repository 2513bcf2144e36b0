/**
 * Compares two strings without an early exit, so the time taken does not reveal how many
 * leading characters match (signatures, OAuth `state`, other secrets); only the lengths may
 * leak.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let index = 0; index < length; index++) {
    // charCodeAt past the end is NaN, and NaN | 0 is 0: every iteration does the same work.
    difference |= (a.charCodeAt(index) | 0) ^ (b.charCodeAt(index) | 0);
  }
  return difference === 0;
}
