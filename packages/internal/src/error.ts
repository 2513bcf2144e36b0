// The base of every x-oauth error class. Each published package bundles its own copy of this
// file (and tsup bundles each entry point on its own), so prototype `instanceof` would fail
// between copies. Errors are therefore recognised by a brand under a registry-wide symbol:
// each class names itself in `brand`, an instance carries the brands of its whole class chain,
// and `instanceof` and the guards compare brands.

const BRANDS = Symbol.for('@x-oauth/error-brands');

/**
 * What every x-oauth error may carry besides its code and message.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface XOAuthErrorDetails {
  /** HTTP status of the answer, when there was one. */
  readonly status?: number | undefined;
  /** Whether the same call may succeed later; default `retryAt !== undefined`. */
  readonly retryable?: boolean | undefined;
  /** When to try again ("try again later" answers: 429, `Retry-After`, a rate-limit reset). */
  readonly retryAt?: Date | undefined;
  /** The underlying error; its message holds no secret either. */
  readonly cause?: unknown;
}

function brandsOf(value: unknown): readonly string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const brands: unknown = Reflect.get(value, BRANDS);
  return Array.isArray(brands) ? (brands as readonly string[]) : undefined;
}

/**
 * The base of the x-oauth error classes: a stable `code`, the HTTP `status` where there was
 * one, `retryable`, and `retryAt` for every "try again later". Messages never hold a secret.
 * A subclass sets a static `brand` (`'@x-oauth/<package>/<Class>'`) so that `instanceof` works
 * across separately bundled copies of it.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export class XOAuthError<Code extends string = string> extends Error {
  /** The registry-wide name of the class; subclasses set their own. */
  static readonly brand: string = '@x-oauth/XOAuthError';

  /** Stable, machine-readable reason; compare it with the package's exported constants. */
  readonly code: Code;
  /** HTTP status of the answer, when there was one. */
  readonly status: number | undefined;
  /** True when retrying the same call later may succeed. */
  readonly retryable: boolean;
  /** When to try again, for "try again later" errors. */
  readonly retryAt: Date | undefined;

  constructor(code: Code, message: string, details: XOAuthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.retryAt = details.retryAt;
    this.retryable = details.retryable ?? details.retryAt !== undefined;
    const brands: string[] = [];
    for (let type: unknown = new.target; typeof type === 'function'; ) {
      if (Object.hasOwn(type, 'brand')) brands.push((type as typeof XOAuthError).brand);
      type = Object.getPrototypeOf(type);
    }
    Object.defineProperty(this, BRANDS, { value: Object.freeze(brands) });
    // The brand, not the class's JavaScript name, which a bundler may rename (`BearerError2`).
    this.name = Object.hasOwn(new.target, 'brand')
      ? (new.target.brand.split('/').at(-1) ?? new.target.name)
      : new.target.name;
  }

  /** A plain copy for structured logs: name, code, message, status, retryable, retryAt. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAt: this.retryAt?.toISOString(),
    };
  }
}

// `instanceof` by brand for every class with a brand of its own; one without falls back to
// the prototype chain. Defined here rather than as a static method so subclasses inherit it.
Object.defineProperty(XOAuthError, Symbol.hasInstance, {
  value: function hasInstance(this: typeof XOAuthError, value: unknown): boolean {
    if (!Object.hasOwn(this, 'brand'))
      return Function.prototype[Symbol.hasInstance].call(this, value);
    return brandsOf(value)?.includes(this.brand) ?? false;
  },
});

/**
 * True when `value` is an error of any x-oauth package (from any bundle), optionally with the
 * given code.
 *
 * @example if (isXOAuthError(error) && error.retryable) await sleepUntil(error.retryAt);
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export function isXOAuthError(value: unknown, code?: string): value is XOAuthError {
  return value instanceof XOAuthError && (code === undefined || value.code === code);
}

/**
 * The string `code` of an error-like value (driver errors, other packages' errors), if any.
 *
 * @see https://nodejs.org/api/errors.html#errorcode
 */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
