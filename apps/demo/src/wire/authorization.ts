// Pure: an `Authorization` header and a request turned into what the wire inspector may show.
// Every credential is masked here, before anything is kept: OAuth 1.0a keys, tokens, verifiers
// and signatures, bearer tokens, and Basic credentials (which hold the secret).
import { redactUrl } from '@x-oauth/client';
import { buildBaseString, parseAuthorizationHeader } from '@x-oauth/oauth1-signature';
import { maskToken } from '../mask.js';
import type { WireAuthorization, WireAuthParameter } from './entry.js';

/** OAuth 1.0a parameters whose values are credentials (shown as `abcd…wxyz` or not at all). */
const MASKED_OAUTH = new Set(['oauth_consumer_key', 'oauth_token', 'oauth_verifier']);
const HIDDEN_OAUTH = new Set(['oauth_signature']);
const SENSITIVE_FORM = /token|secret|verifier|code|password|signature|key|^oauth_/i;

/** The header, parsed and masked. Malformed headers are described by scheme only. */
export function describeAuthorization(header: string | undefined): WireAuthorization {
  if (header === undefined || header === '') return { scheme: 'none', parameters: [] };
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  const credential = space === -1 ? '' : header.slice(space + 1).trim();
  if (/^oauth$/i.test(scheme)) {
    try {
      const parsed = parseAuthorizationHeader(header);
      const parameters: WireAuthParameter[] = Object.keys(parsed.params)
        .sort()
        .map((name) => maskOAuthParameter(name, parsed.params[name] ?? ''));
      return { scheme: 'OAuth', parameters };
    } catch {
      return {
        scheme: 'OAuth',
        parameters: [{ name: 'header', value: '(malformed)', masked: true }],
      };
    }
  }
  if (/^bearer$/i.test(scheme)) {
    return {
      scheme: 'Bearer',
      parameters: [{ name: 'token', value: maskToken(credential), masked: true }],
    };
  }
  // Basic and anything else: the credential is not shown at all (Basic holds the secret).
  return { scheme, parameters: [{ name: 'credentials', value: '••••', masked: true }] };
}

function maskOAuthParameter(name: string, value: string): WireAuthParameter {
  if (HIDDEN_OAUTH.has(name)) return { name, value: '••••', masked: true };
  if (MASKED_OAUTH.has(name)) return { name, value: maskToken(value), masked: true };
  return { name, value, masked: false };
}

/**
 * The OAuth 1.0a signature base string of a request, as @x-oauth/oauth1-signature builds it,
 * with the consumer key and token masked, credential-like query and form values redacted,
 * and (as always) no signature. Undefined when the header is not a valid OAuth one.
 */
export function maskedBaseString(
  method: string,
  url: URL | string,
  form: string | undefined,
  header: string | undefined,
): string | undefined {
  if (header === undefined || !/^oauth\s/i.test(header)) return undefined;
  try {
    const { params } = parseAuthorizationHeader(header);
    const oauthParams: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      if (HIDDEN_OAUTH.has(name)) continue;
      oauthParams[name] = MASKED_OAUTH.has(name) ? maskToken(value) : value;
    }
    return buildBaseString({
      method,
      url: redactUrl(url),
      form: form === undefined ? undefined : redactForm(form),
      oauthParams,
    });
  } catch {
    return undefined;
  }
}

function redactForm(form: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(form)) {
    out.append(name, SENSITIVE_FORM.test(name) ? '[redacted]' : value);
  }
  return out;
}
