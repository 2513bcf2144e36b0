import { PkceError, PkceErrorCode } from './errors.js';

/**
 * The body of an answer, read once: the parsed JSON, or `undefined` when it is not JSON.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface ResponseBody {
  readonly json: unknown;
  readonly isJson: boolean;
}

/**
 * Reads a response body as JSON without trusting it. A body cut off mid-way is a retryable
 * network error; a body that is not JSON is reported as such, never copied into an error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export async function readResponseBody(response: Response): Promise<ResponseBody> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new PkceError(
      PkceErrorCode.NetworkError,
      'The connection failed while the answer was being read: retry later.',
      { status: response.status, retryable: true, cause: error },
    );
  }
  try {
    return { json: JSON.parse(text), isJson: true };
  } catch {
    return { json: undefined, isJson: false };
  }
}

/**
 * True for a JSON object (not `null`, not an array).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 */
export function isJsonObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An own member of an unknown JSON value (inherited names such as `__proto__` never count).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 */
export function member(value: unknown, name: string): unknown {
  if (!isJsonObject(value) || !Object.hasOwn(value, name)) return undefined;
  const found: unknown = Reflect.get(value, name);
  return found;
}

/**
 * An own string member of an unknown JSON value, or `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-4
 */
export function stringMember(value: unknown, name: string): string | undefined {
  const found = member(value, name);
  return typeof found === 'string' ? found : undefined;
}
