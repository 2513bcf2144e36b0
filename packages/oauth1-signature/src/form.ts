import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { percentEncode } from './percent-encode.js';
import type { FormInput } from './types.js';

/** A parameter name and value, each already percent-encoded as RFC 5849 §3.6 requires. */
export type EncodedPair = [name: string, value: string];

function invalidForm(problem: string): OAuth1Error {
  return new OAuth1Error(
    OAuth1ErrorCode.InvalidForm,
    `\`form\` ${problem}: only form bodies are signed. Send JSON, multipart or binary bodies as the body and leave \`form\` out.`,
  );
}

function notAString(where: string): OAuth1Error {
  return new OAuth1Error(
    OAuth1ErrorCode.InvalidParameter,
    `${where} must be a string; convert it with String() or leave it out.`,
  );
}

/**
 * Appends query or form-body parameters to `into`, decoded as the URL standard decodes forms
 * (`+` is a space; what does not decode is kept) and percent-encoded again for signing
 * (RFC 5849 §3.4.1.3.1).
 */
export function addSearchParameters(parameters: URLSearchParams, into: EncodedPair[]): void {
  for (const [name, value] of parameters) into.push([percentEncode(name), percentEncode(value)]);
}

/** Parses a form body. URLSearchParams drops one leading `?`, which a body keeps in its first name. */
function parseFormBody(body: string): URLSearchParams {
  return new URLSearchParams(body.startsWith('?') ? `&${body}` : body);
}

// `[x]=1` is valid form data that starts like JSON, so only text that parses as a JSON object
// or array counts as JSON.
function isJson(text: string): boolean {
  try {
    return typeof JSON.parse(text) === 'object';
  } catch {
    return false;
  }
}

/**
 * The parameters of any accepted form shape (none without a form), percent-encoded for
 * signing.
 * @throws {OAuth1Error} `OAUTH1_INVALID_FORM` for bodies that are not form data,
 *   `OAUTH1_INVALID_PARAMETER` for names or values that are not strings.
 */
export function formParameters(form: FormInput | undefined): EncodedPair[] {
  const into: EncodedPair[] = [];
  if (form !== undefined) addFormParameters(form, into);
  return into;
}

function addFormParameters(form: FormInput, into: EncodedPair[]): void {
  if (typeof form === 'string') {
    if (/^\s*[[{]/.test(form) && isJson(form)) throw invalidForm('is JSON');
    addSearchParameters(parseFormBody(form), into);
    return;
  }
  if (typeof form !== 'object' || form === null) {
    throw invalidForm(`is ${form === null ? 'null' : typeof form}`);
  }
  const entries = formEntries(form);
  if (entries === undefined) throw invalidForm('is not form data');
  for (const pair of entries) {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw invalidForm('has an entry that is not a [name, value] pair');
    const [name, value] = pair;
    if (typeof name !== 'string') throw notAString('Each form name');
    if (typeof value !== 'string') throw notAString(`Form parameter "${name}"`);
    into.push([percentEncode(name), percentEncode(value)]);
  }
}

// The [name, value] entries of a URLSearchParams, a pair list or a plain record (an array
// value repeats its name); undefined for any other object.
function formEntries(form: object): ReadonlyArray<readonly [unknown, unknown]> | undefined {
  if (form instanceof URLSearchParams) return [...form];
  if (Array.isArray(form)) return form;
  const prototype = Object.getPrototypeOf(form);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  return Object.entries(form).flatMap(([name, value]) =>
    Array.isArray(value)
      ? value.map((item: unknown) => [name, item] as const)
      : [[name, value] as const],
  );
}

/** Serializes encoded pairs as a form body (RFC 3986 encoding: a space is `%20`). */
export function serializeForm(pairs: readonly EncodedPair[]): string {
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}
