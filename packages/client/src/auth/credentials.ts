// Checks of credentials given to the strategies and flows. Messages name the option, never
// its value.
import type { KeyAndSecret } from '@x-oauth/internal';
import { XApiError, XApiErrorCode } from '../errors.js';

export type { KeyAndSecret };

/** Throws `X_INVALID_ARGUMENT` unless `value` is `{ key, secret }` of non-empty strings. */
export function checkKeyAndSecret(value: unknown, name: string): KeyAndSecret {
  if (
    typeof value !== 'object' ||
    value === null ||
    !('key' in value) ||
    !('secret' in value) ||
    typeof value.key !== 'string' ||
    typeof value.secret !== 'string' ||
    value.key === '' ||
    value.secret === ''
  ) {
    throw new XApiError(
      XApiErrorCode.InvalidArgument,
      `${name} must be { key, secret } with two non-empty strings.`,
    );
  }
  return { key: value.key, secret: value.secret };
}

/** Throws `X_INVALID_ARGUMENT` unless `value` is a non-empty string. */
export function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new XApiError(XApiErrorCode.InvalidArgument, `${name} must be a non-empty string.`);
  }
  return value;
}
