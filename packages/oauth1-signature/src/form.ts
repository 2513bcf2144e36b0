import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { addFormEncodedParameters, type EncodedPair } from './form-decoding.js';
import { percentEncode } from './percent-encode.js';
import type { FormInput } from './types.js';

function invalidForm(problem: string): OAuth1Error {
  return new OAuth1Error(
    OAuth1ErrorCode.InvalidForm,
    `\`form\` ${problem}. Only application/x-www-form-urlencoded bodies are signed (an object of strings, URLSearchParams, a string or [name, value] pairs); send JSON, multipart or binary bodies as the request body and leave \`form\` out.`,
  );
}

function nonString(where: string, value: unknown): OAuth1Error {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return new OAuth1Error(
    OAuth1ErrorCode.InvalidParameter,
    `${where} must be a string, got ${kind}; convert it with String() or leave it out.`,
  );
}

// `[x]=1` is valid form data that starts like JSON, so only text that parses as a JSON object
// or array counts as JSON.
function looksLikeJson(text: string): boolean {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

function isPairList(input: unknown): input is ReadonlyArray<readonly [unknown, unknown]> {
  return Array.isArray(input);
}

/**
 * Appends the parameters of any accepted form shape to `into`, percent-encoded for signing.
 * @throws {OAuth1Error} `OAUTH1_INVALID_FORM` for bodies that are not form data,
 *   `OAUTH1_INVALID_PARAMETER` for names or values that are not strings.
 */
export function addFormParameters(form: FormInput, into: EncodedPair[]): void {
  if (typeof form === 'string') {
    if (looksLikeJson(form)) throw invalidForm('is JSON');
    addFormEncodedParameters(form, into);
    return;
  }
  if (typeof form !== 'object' || form === null) {
    throw invalidForm(`is ${form === null ? 'null' : typeof form}`);
  }
  if (form instanceof URLSearchParams) {
    for (const [name, value] of form) into.push([percentEncode(name), percentEncode(value)]);
    return;
  }
  if (isPairList(form)) {
    form.forEach((pair, index) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw invalidForm(`entry ${index} is not a [name, value] pair`);
      }
      const [name, value] = pair;
      if (typeof name !== 'string') throw nonString(`form entry ${index}'s name`, name);
      if (typeof value !== 'string') throw nonString(`form parameter "${name}"`, value);
      into.push([percentEncode(name), percentEncode(value)]);
    });
    return;
  }
  const prototype = Object.getPrototypeOf(form);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind =
      (form as { constructor?: { name?: string } }).constructor?.name ??
      'an object with a prototype';
    throw invalidForm(`is ${kind}, not form data`);
  }
  for (const name of Object.keys(form)) {
    const value = (form as Readonly<Record<string, unknown>>)[name];
    if (typeof value === 'string') into.push([percentEncode(name), percentEncode(value)]);
    else if (Array.isArray(value)) {
      const encodedName = percentEncode(name);
      for (const item of value) {
        if (typeof item !== 'string')
          throw nonString(`each value of form parameter "${name}"`, item);
        into.push([encodedName, percentEncode(item)]);
      }
    } else throw nonString(`form parameter "${name}"`, value);
  }
}

/** Serializes encoded pairs as a form body (RFC 3986 encoding: a space is `%20`). */
export function serializeForm(pairs: readonly EncodedPair[]): string {
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}
