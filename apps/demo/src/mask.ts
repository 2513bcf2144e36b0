/**
 * A token as the demo shows it: the first and last four characters (`abcd…wxyz`), or `••••`
 * when the value is too short for that to leave most of it hidden. Never pass a secret here:
 * secrets (consumer secrets, token secrets, client secrets) are not shown at all.
 */
export function maskToken(value: string): string {
  // Below 16 characters, eight visible ones would give away half the value or more.
  if (value.length < 16) return '••••';
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}
