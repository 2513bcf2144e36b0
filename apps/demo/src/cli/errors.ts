// The CLI's own errors: a usage mistake or a state the user has to fix (not signed in, a PIN
// that was not typed). Errors of the packages underneath keep their own codes.

/** Stable codes of {@link CliError}. */
export const CliErrorCode = {
  /** The command line is wrong; the usage is printed. */
  Usage: 'CLI_USAGE',
  /** No signed-in user: run `x-oauth login pin` or `x-oauth login oauth2` first. */
  NotSignedIn: 'CLI_NOT_SIGNED_IN',
  /** Standard input ended before a PIN was typed. */
  NoInput: 'CLI_NO_INPUT',
  /** The loopback redirect did not arrive, or arrived without a code. */
  Callback: 'CLI_CALLBACK',
  /** The key file cannot be rotated (the key comes from the environment). */
  Key: 'CLI_KEY',
} as const;

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** An error the CLI reports as `code: message` and exit status 1 (2 for usage errors). */
export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
