// Keeps secrets out of logs: objects that hold one show a redacted view to util.inspect,
// console.log and JSON.stringify.

/** The key Node's `util.inspect` (and so `console.log`) looks up; no import of `node:util`. */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/** What a redacted value shows instead of the secret. */
export const REDACTED = '[redacted]';

/**
 * How `util.inspect` shows a redacted view: `Name {"field":…}`, on one line.
 *
 * @see https://nodejs.org/api/util.html#utilinspectcustom
 */
export function describeRedacted(name: string, view: Record<string, unknown>): string {
  return `${name} ${JSON.stringify(view)}`;
}

/**
 * Adds non-enumerable `toJSON` and `util.inspect` hooks to a plain object, both showing
 * `view()`. Non-enumerable, so spreading the object does not copy them.
 *
 * @see https://nodejs.org/api/util.html#utilinspectcustom
 */
export function hideSecrets<T extends object>(
  target: T,
  name: string,
  view: () => Record<string, unknown>,
): T {
  Object.defineProperties(target, {
    toJSON: { enumerable: false, value: view },
    [inspectSymbol]: { enumerable: false, value: () => describeRedacted(name, view()) },
  });
  return target;
}
