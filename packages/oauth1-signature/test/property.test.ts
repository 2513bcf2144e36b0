// Property tests: whatever signRequest signs, verifyRequest accepts, and any one-character change
// to a signed part of the request makes it fail with bad_signature.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as web from '../src/index.js';
import type { FormInput, SignRequest, VerifyRequest, VerifyResult } from '../src/node.js';
import * as node from '../src/node.js';

const NOW_SECONDS = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// Request model: decoded parts, rendered into the URL string and form shapes a client would send.

interface Param {
  readonly name: string;
  readonly value: string;
  /** Only matters for an empty value: `name=` rather than `name`. */
  readonly withEquals: boolean;
}

type Port = { readonly kind: 'none' } | { readonly kind: 'number'; readonly port: number };

interface UrlModel {
  readonly scheme: 'http' | 'https';
  readonly upperScheme: boolean;
  readonly labels: readonly string[];
  readonly port: Port;
  /** Raw path text after the host, starting with `/`, or '' for none. */
  readonly path: string;
  /** `undefined` for no `?` at all. */
  readonly query: readonly Param[] | undefined;
  readonly fragment: string | undefined;
  /** Per-character choice of representation (raw, %XX, %xx, `+` for a space), cycled. */
  readonly encoding: readonly number[];
}

type FormShape = 'record' | 'search-params' | 'string' | 'pairs';

interface FormModel {
  readonly shape: FormShape;
  readonly params: readonly Param[];
  readonly encoding: readonly number[];
}

interface RequestModel {
  readonly method: string;
  readonly url: UrlModel;
  readonly form: FormModel | undefined;
  readonly consumer: { readonly key: string; readonly secret: string };
  readonly token: { readonly key: string; readonly secret: string } | undefined;
  readonly callback: string | undefined;
  readonly verifier: string | undefined;
  readonly realm: string | undefined;
  /** Give verifyRequest a URL object instead of the string (same base string either way). */
  readonly verifyWithUrlObject: boolean;
  /** Give verifyRequest the original form input instead of the serialized body. */
  readonly verifyWithOriginalForm: boolean;
}

function percentEscape(character: string, lowerHex: boolean): string {
  const escaped = encodeURIComponent(character).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const hex = escaped === character ? `%${character.charCodeAt(0).toString(16)}` : escaped;
  return lowerHex ? hex.toLowerCase() : hex.toUpperCase();
}

/**
 * Encodes decoded text for a query or form body, so that form decoding gives it back: `&`, `=`,
 * `#`, `%`, `+` and controls are always escaped, a space is `+` or `%20`, anything else is raw
 * or escaped as `encoding` says. `mustEscape` lists more characters to always escape.
 */
function encodeComponent(text: string, encoding: readonly number[], mustEscape: string): string {
  let out = '';
  let index = 0;
  for (const character of text) {
    const choice = encoding.length === 0 ? 0 : (encoding[index % encoding.length] as number);
    index++;
    const code = character.codePointAt(0) as number;
    if (character === ' ') {
      out += choice % 2 === 0 ? '+' : percentEscape(' ', choice === 3);
    } else if (
      code <= 0x20 ||
      code === 0x7f ||
      '&=#%+'.includes(character) ||
      mustEscape.includes(character) ||
      choice >= 2
    ) {
      out += percentEscape(character, choice === 3);
    } else {
      out += character;
    }
  }
  return out;
}

function encodeParams(
  params: readonly Param[],
  encoding: readonly number[],
  mustEscape = '',
): string {
  return params
    .map(({ name, value, withEquals }) => {
      const encodedName = encodeComponent(name, encoding, mustEscape);
      // A segment that is empty altogether is skipped by form decoding, so write `=`.
      const equals = value !== '' || withEquals || name === '';
      return equals
        ? `${encodedName}=${encodeComponent(value, encoding, mustEscape)}`
        : encodedName;
    })
    .join('&');
}

function renderUrl(model: UrlModel): string {
  const scheme = model.upperScheme ? model.scheme.toUpperCase() : model.scheme;
  const port = model.port.kind === 'none' ? '' : `:${model.port.port}`;
  const query = model.query === undefined ? '' : `?${encodeParams(model.query, model.encoding)}`;
  const fragment = model.fragment === undefined ? '' : `#${model.fragment}`;
  return `${scheme}://${model.labels.join('.')}${port}${model.path}${query}${fragment}`;
}

function renderForm(model: FormModel): FormInput {
  const pairs = model.params.map(({ name, value }) => [name, value] as [string, string]);
  switch (model.shape) {
    case 'pairs':
      return pairs;
    case 'search-params':
      return new URLSearchParams(pairs);
    case 'string':
      // `{` and `[` escaped, so the body never looks like JSON (signRequest refuses those).
      return encodeParams(model.params, model.encoding, '{[');
    case 'record': {
      const record: Record<string, string | string[]> = {};
      for (const [name, value] of pairs) {
        const existing = Object.hasOwn(record, name) ? record[name] : undefined;
        if (existing === undefined) Object.defineProperty(record, name, writable(value));
        else if (Array.isArray(existing)) existing.push(value);
        else Object.defineProperty(record, name, writable([existing, value]));
      }
      return record;
    }
  }
}

// defineProperty so that a name such as `__proto__` becomes an own property.
function writable(value: string | string[]): PropertyDescriptor {
  return { value, writable: true, enumerable: true, configurable: true };
}

// ---------------------------------------------------------------------------------------------
// Generators.

const specialCharacters = [
  ...":/?#[]@!$&'()*+,;=%",
  ' ',
  '~',
  '-',
  '.',
  '_',
  '"',
  '<',
  '>',
  '\\',
  '^',
  '`',
  '{',
  '|',
  '}',
  'é',
  'ß',
  '中',
  '😀',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '\t',
  '\n',
  '\u0000',
];

const textCharacter = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...specialCharacters) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** Decoded parameter text: reserved characters, `+`, unicode, controls, often empty. */
const text = (maxLength = 8) => fc.string({ unit: textCharacter, maxLength });

/** Parameter lists with duplicate names and empty values. */
const params = (maxLength: number) =>
  fc
    .tuple(
      fc.array(fc.oneof(fc.constantFrom('a', 'b', 'q', 'x y', 'é'), text(6)), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.array(
        fc.record({
          nameIndex: fc.nat(),
          value: fc.oneof(fc.constant(''), text()),
          withEquals: fc.boolean(),
        }),
        { maxLength },
      ),
    )
    .map(([names, entries]) =>
      entries.map(
        ({ nameIndex, value, withEquals }): Param => ({
          name: names[nameIndex % names.length] as string,
          value,
          withEquals,
        }),
      ),
    );

const encoding = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 });

const label = fc
  .stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,6}[A-Za-z0-9])?$/)
  .filter((value) => !value.toLowerCase().startsWith('xn--'));
const lastLabel = fc
  .stringMatching(/^[A-Za-z](?:[A-Za-z0-9-]{0,6}[A-Za-z0-9])?$/)
  .filter((value) => !value.toLowerCase().startsWith('xn--'));
const labels = fc
  .tuple(fc.array(label, { maxLength: 3 }), lastLabel)
  .map(([first, last]) => [...first, last]);

const port: fc.Arbitrary<Port> = fc.oneof(
  fc.constant({ kind: 'none' } as const),
  fc.constantFrom(80, 443, 8080).map((port) => ({ kind: 'number', port }) as const),
  fc.integer({ min: 1, max: 65535 }).map((port) => ({ kind: 'number', port }) as const),
);

/** Path characters the URL parser keeps as written, and a few escapes; no dot segments. */
const pathSegment = fc
  .stringMatching(/^(?:[A-Za-z0-9\-_~!$&'()*+,;=:@]|%[0-9A-F]{2}){0,8}$/)
  .filter((segment) => !/%2e/i.test(segment));
const plainPath = fc.oneof(
  fc.constant(''),
  fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
);
/** Any path text, including characters the URL parser escapes (space, unicode, quotes). */
const anyPath = fc.oneof(
  plainPath,
  fc
    .array(text(6), { minLength: 1, maxLength: 3 })
    // No `.` or `%`, so no dot segment (plain or escaped) can appear, even after a change.
    .map((segments) => `/${segments.map((s) => s.replace(/[#?%.\\/\s]/g, '_')).join('/')}`),
);

const urlModel = (path: fc.Arbitrary<string>): fc.Arbitrary<UrlModel> =>
  fc.record({
    scheme: fc.constantFrom('http', 'https'),
    upperScheme: fc.boolean(),
    labels,
    port,
    path,
    query: fc.option(params(6), { nil: undefined }),
    fragment: fc.option(fc.stringMatching(/^[A-Za-z0-9=&?/]{0,6}$/), { nil: undefined }),
    encoding,
  });

const formModel: fc.Arbitrary<FormModel> = fc.record({
  shape: fc.constantFrom<FormShape>('record', 'search-params', 'string', 'pairs'),
  params: params(5),
  encoding,
});

const nonEmptyText = text(10).filter((value) => value.length > 0);
const httpMethod = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'get', 'post'),
  fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,8}$/),
);

const requestModel: fc.Arbitrary<RequestModel> = fc.record({
  method: httpMethod,
  url: urlModel(anyPath),
  form: fc.option(formModel, { nil: undefined }),
  consumer: fc.record({ key: nonEmptyText, secret: nonEmptyText }),
  token: fc.option(fc.record({ key: nonEmptyText, secret: text(10) }), { nil: undefined }),
  callback: fc.option(
    fc.oneof(
      fc.constant('oob'),
      text(10).map((path) => `https://app.example/cb?s=${encodeURIComponent(path)}&x=${path}`),
    ),
    { nil: undefined },
  ),
  verifier: fc.option(nonEmptyText, { nil: undefined }),
  realm: fc.option(fc.stringMatching(/^[ !#-[\]-~]{0,10}$/), { nil: undefined }),
  verifyWithUrlObject: fc.boolean(),
  verifyWithOriginalForm: fc.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Signing and verifying a model.

interface Entry {
  readonly signRequest: SignRequest;
  readonly verifyRequest: VerifyRequest;
}

interface Secrets {
  readonly consumerSecret: string;
  readonly tokenSecret: string | undefined;
}

async function sign(entry: Entry, model: RequestModel, nonce?: string) {
  return entry.signRequest({
    method: model.method,
    url: renderUrl(model.url),
    consumer: model.consumer,
    token: model.token,
    form: model.form === undefined ? undefined : renderForm(model.form),
    callback: model.callback,
    verifier: model.verifier,
    realm: model.realm,
    timestamp: NOW_SECONDS,
    nonce,
  });
}

async function verify(
  entry: Entry,
  model: RequestModel,
  authorization: string,
  body: string | undefined,
  secrets: Secrets,
): Promise<VerifyResult> {
  const url = renderUrl(model.url);
  const form =
    model.form === undefined
      ? undefined
      : model.verifyWithOriginalForm
        ? renderForm(model.form)
        : body;
  return entry.verifyRequest({
    method: model.method,
    url: model.verifyWithUrlObject ? new URL(url) : url,
    authorization,
    form,
    consumerSecret: (key) => (key === model.consumer.key ? secrets.consumerSecret : undefined),
    tokenSecret: (key, { consumerKey }) =>
      model.token !== undefined && key === model.token.key && consumerKey === model.consumer.key
        ? secrets.tokenSecret
        : undefined,
    now: () => NOW_SECONDS * 1000,
  });
}

function secretsOf(model: RequestModel): Secrets {
  return { consumerSecret: model.consumer.secret, tokenSecret: model.token?.secret };
}

// ---------------------------------------------------------------------------------------------
// One-character changes.

const REPLACEMENTS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Replaces the character at `position` (by code point) with a different one, or inserts one. */
function changeOne(value: string, position: number, differs = (a: string, b: string) => a !== b) {
  const characters = Array.from(value);
  if (characters.length === 0) return REPLACEMENTS[position % REPLACEMENTS.length] as string;
  const index = position % characters.length;
  const original = characters[index] as string;
  for (let offset = 0; offset < REPLACEMENTS.length; offset++) {
    const candidate = REPLACEMENTS[(position + offset) % REPLACEMENTS.length] as string;
    if (differs(candidate, original)) {
      characters[index] = candidate;
      return characters.join('');
    }
  }
  throw new Error('unreachable: no different replacement character');
}

const caseInsensitiveDiffers = (a: string, b: string) => a.toLowerCase() !== b.toLowerCase();

function changeParam(list: readonly Param[], position: number, part: 'name' | 'value'): Param[] {
  const index = position % list.length;
  return list.map((param, at) =>
    at === index ? { ...param, [part]: changeOne(param[part], position >> 3) } : param,
  );
}

function changePath(path: string, position: number): string {
  // Only characters inside segments, so no `/` is lost and no dot segment appears.
  const indexes = [...path].flatMap((character, index) => (character === '/' ? [] : [index]));
  if (indexes.length === 0) return `${path === '' ? '/' : path}z`;
  const index = indexes[position % indexes.length] as number;
  const characters = [...path];
  const original = characters[index] as string;
  characters[index] = original === 'z' ? 'y' : 'z';
  return characters.join('');
}

function changeHost(model: UrlModel, position: number): UrlModel {
  const labelIndex = position % model.labels.length;
  const isLast = labelIndex === model.labels.length - 1;
  const labelText = model.labels[labelIndex] as string;
  const characterIndex = (position >> 2) % labelText.length;
  let changed = changeOne(labelText, characterIndex, caseInsensitiveDiffers);
  // The last label must still start with a letter (or it would read as an IPv4 address), and no
  // label may turn into an IDN `xn--` label.
  if ((isLast && !/^[a-z]/i.test(changed)) || changed.toLowerCase().startsWith('xn--')) {
    changed = changeOne(
      labelText,
      characterIndex,
      (a, b) => /[qr]/.test(a) && a !== b.toLowerCase(),
    );
  }
  return { ...model, labels: model.labels.map((text, at) => (at === labelIndex ? changed : text)) };
}

interface Change {
  readonly what: string;
  readonly model: RequestModel;
  readonly secrets: Secrets;
}

/** Every one-character change that applies to `model`, each on its own. */
function changesOf(model: RequestModel, position: number): Change[] {
  const secrets = secretsOf(model);
  const changes: Change[] = [
    {
      what: 'method',
      model: { ...model, method: changeOne(model.method, position, caseInsensitiveDiffers) },
      secrets,
    },
    {
      what: 'path',
      model: { ...model, url: { ...model.url, path: changePath(model.url.path, position) } },
      secrets,
    },
    { what: 'host', model: { ...model, url: changeHost(model.url, position) }, secrets },
    {
      what: 'consumer secret',
      model,
      secrets: { ...secrets, consumerSecret: changeOne(secrets.consumerSecret, position) },
    },
  ];
  if (model.token !== undefined) {
    changes.push({
      what: 'token secret',
      model,
      secrets: { ...secrets, tokenSecret: changeOne(model.token.secret, position) },
    });
  }
  const query = model.url.query;
  if (query !== undefined && query.length > 0) {
    for (const part of ['name', 'value'] as const) {
      changes.push({
        what: `query ${part}`,
        model: { ...model, url: { ...model.url, query: changeParam(query, position, part) } },
        secrets,
      });
    }
  }
  const form = model.form;
  if (form !== undefined && form.params.length > 0) {
    for (const part of ['name', 'value'] as const) {
      changes.push({
        what: `form ${part}`,
        model: { ...model, form: { ...form, params: changeParam(form.params, position, part) } },
        secrets,
      });
    }
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------

const entries: ReadonlyArray<readonly [string, Entry, number]> = [
  ['node:crypto entry', node, 200],
  ['Web Crypto entry', web, 30],
];

describe.each(entries)('verifyRequest on the %s', (_name, entry, numRuns) => {
  it('accepts every request signRequest signs', async () => {
    await fc.assert(
      fc.asyncProperty(requestModel, async (model) => {
        const signed = await sign(entry, model);
        const result = await verify(
          entry,
          model,
          signed.authorization,
          signed.body,
          secretsOf(model),
        );
        expect(result).toMatchObject({
          ok: true,
          consumerKey: model.consumer.key,
          token: model.token?.key,
          realm: model.realm,
          timestamp: NOW_SECONDS,
        });
        if (result.ok) {
          expect(result.params.oauth_callback).toBe(model.callback);
          expect(result.params.oauth_verifier).toBe(model.verifier);
        }
      }),
      { numRuns },
    );
  });

  it('rejects any one-character change of method, URL, form parameter or secret as bad_signature', async () => {
    await fc.assert(
      fc.asyncProperty(requestModel, fc.nat(), async (model, position) => {
        const signed = await sign(entry, model);
        for (const change of changesOf(model, position)) {
          const result = await verify(
            entry,
            change.model,
            signed.authorization,
            // The changed form is re-serialized by a fresh signRequest-independent path:
            // renderForm, so the body a server would see carries the change.
            change.model.form === undefined ? undefined : bodyOf(change.model.form),
            change.secrets,
          );
          expect({ what: change.what, result }).toMatchObject({
            what: change.what,
            result: { ok: false, reason: 'bad_signature' },
          });
        }
      }),
      { numRuns: Math.ceil(numRuns / 2) },
    );
  });
});

/** The body a client would send for a form model (RFC 3986 encoding, or the string as given). */
function bodyOf(form: FormModel): string {
  const input = renderForm(form);
  if (typeof input === 'string') return input;
  return form.params
    .map(({ name, value }) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

describe('both entries', () => {
  it('produce identical signatures, base strings, headers and bodies for the same inputs', async () => {
    await fc.assert(
      fc.asyncProperty(
        requestModel,
        fc.stringMatching(/^[A-Za-z0-9]{1,40}$/),
        async (model, nonce) => {
          const [fromNode, fromWeb] = await Promise.all([
            sign(node, model, nonce),
            sign(web, model, nonce),
          ]);
          expect({ ...fromWeb }).toEqual({ ...fromNode });
        },
      ),
      { numRuns: 60 },
    );
  });
});

// An independent model of RFC 5849 §3.4.1, from the platform's own parsers: the WHATWG URL
// parser (what fetch sends) for the base URI and the query, URLSearchParams for form decoding,
// and encodeURIComponent for RFC 3986 encoding.
function referenceEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function referenceBaseString(
  model: RequestModel,
  protocolParams: Readonly<Record<string, string>>,
): string {
  const url = new URL(renderUrl(model.url));
  const pairs: [string, string][] = [...new URLSearchParams(url.search)];
  if (model.form !== undefined) {
    const form = renderForm(model.form);
    // The URLSearchParams constructor drops a leading `?`, which a form body keeps as a name.
    if (typeof form === 'string') pairs.push(...new URLSearchParams(`&${form}`));
    else pairs.push(...model.form.params.map(({ name, value }): [string, string] => [name, value]));
  }
  for (const [name, value] of Object.entries(protocolParams)) {
    if (name !== 'oauth_signature') pairs.push([name, value]);
  }
  const normalized = pairs
    .map(([name, value]) => [referenceEncode(name), referenceEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  return [model.method.toUpperCase(), referenceEncode(baseUri), referenceEncode(normalized)].join(
    '&',
  );
}

describe.each(entries)('signRequest on the %s', (_name, entry, numRuns) => {
  it('builds the base string an independent model built on URL and URLSearchParams builds', async () => {
    await fc.assert(
      fc.asyncProperty(requestModel, async (model) => {
        const signed = await sign(entry, model);
        expect(signed.baseString).toBe(referenceBaseString(model, signed.params));
      }),
      { numRuns },
    );
  });

  it('signs the same whether credentials objects are reused, fresh or changed in place', async () => {
    await fc.assert(
      fc.asyncProperty(requestModel, requestModel, async (model, other) => {
        const nonce = 'n0nce';
        const fresh = async () => sign(entry, model, nonce);
        const expected = await fresh();
        // The same objects, three times: the second and later signatures use a prepared key.
        const consumer = { ...model.consumer };
        const token = model.token === undefined ? undefined : { ...model.token };
        const reused = { ...model, consumer, token };
        for (let round = 0; round < 3; round++) {
          expect({ ...(await sign(entry, reused, nonce)) }).toEqual({ ...expected });
        }
        // Credentials changed in place must not be signed with what was kept for the old ones.
        const mutableConsumer = consumer as { key: string; secret: string };
        mutableConsumer.key = other.consumer.key;
        mutableConsumer.secret = other.consumer.secret;
        if (token !== undefined && other.token !== undefined) {
          const mutableToken = token as { key: string; secret: string };
          mutableToken.key = other.token.key;
          mutableToken.secret = other.token.secret;
        }
        const changed = { ...model, consumer: { ...consumer }, token: token && { ...token } };
        expect({ ...(await sign(entry, reused, nonce)) }).toEqual({
          ...(await sign(entry, changed, nonce)),
        });
      }),
      { numRuns: Math.ceil(numRuns / 2) },
    );
  });
});

describe('request URLs, read with the standard URL parser', () => {
  const oauthParams = { oauth_consumer_key: 'key', oauth_nonce: 'nonce' };

  it('gives the same base string for a plain URL as a string and as a URL object', () => {
    fc.assert(
      fc.property(
        urlModel(plainPath).map((model) => ({ ...model, upperScheme: false })),
        httpMethod,
        (model, method) => {
          const url = renderUrl(model);
          expect(node.buildBaseString({ method, url, oauthParams })).toBe(
            node.buildBaseString({ method, url: new URL(url), oauthParams }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same base string as the URL parser for any URL it accepts', () => {
    fc.assert(
      fc.property(urlModel(anyPath), (model) => {
        const url = renderUrl(model);
        expect(node.buildBaseString({ method: 'GET', url, oauthParams })).toBe(
          node.buildBaseString({ method: 'GET', url: new URL(url), oauthParams }),
        );
      }),
      { numRuns: 300 },
    );
  });

  // Whatever the case of an xn-- label, the URL parser (like fetch) refuses this host.
  it('refuses a host the URL parser refuses, whatever the case of an xn-- label', () => {
    expect(() => new URL('https://a.XN--a.com/')).toThrow();
    expect(() =>
      node.buildBaseString({ method: 'GET', url: 'https://a.XN--a.com/', oauthParams }),
    ).toThrowError(expect.objectContaining({ code: 'OAUTH1_INVALID_URL' }));
  });
});

describe('nonces made by signRequest', () => {
  const request = {
    method: 'GET',
    url: 'https://api.x.com/2/users/me',
    consumer: { key: 'ck', secret: 'cs' },
  };

  it.each([
    ['node:crypto', node.signRequest, 1000],
    ['Web Crypto', web.signRequest, 300],
  ] as const)(
    'are 32 random bytes (64 hex characters), alphanumeric and distinct on %s',
    async (_name, signRequest, count) => {
      const nonces: string[] = [];
      for (let index = 0; index < count; index++) {
        nonces.push((await signRequest(request)).params.oauth_nonce as string);
      }
      for (const nonce of nonces) {
        expect(nonce).toMatch(/^[0-9a-f]{64,}$/);
        expect(nonce).toMatch(/^[A-Za-z0-9]+$/);
      }
      expect(new Set(nonces).size).toBe(count);
      // Each byte value should appear about count * 32 / 256 times; a stuck or biased source (a
      // zero-filled pool, a reused slice, a counter) lands far outside 6 standard deviations.
      const counts = new Array<number>(256).fill(0);
      for (const nonce of nonces) {
        for (let index = 0; index < 64; index += 2) {
          const byte = Number.parseInt(nonce.slice(index, index + 2), 16);
          counts[byte] = (counts[byte] as number) + 1;
        }
      }
      const expected = (count * 32) / 256;
      const spread = 6 * Math.sqrt(expected);
      for (const seen of counts) {
        expect(seen).toBeGreaterThan(expected - spread);
        expect(seen).toBeLessThan(expected + spread);
      }
    },
  );
});
