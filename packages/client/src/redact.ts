// What hooks and errors may show of a request: the method, the endpoint and the URL with the
// values of credential-like query parameters replaced. Never a header value of Authorization
// or Cookie, never a body.

const REDACTED = '[redacted]';
const SENSITIVE_PARAMETER = /token|secret|verifier|code|password|signature|key|^oauth_/i;
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$/i;

/**
 * The URL with the values of parameters whose names look like credentials (`oauth_token`,
 * `oauth_verifier`, `code`, `code_verifier`, `access_token`, `refresh_token`, …) replaced by
 * `[redacted]`. Pure.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 */
export function redactUrl(url: URL | string): string {
  const copy = new URL(url.toString());
  copy.username = '';
  copy.password = '';
  const names = [...new Set(copy.searchParams.keys())];
  for (const name of names) {
    if (SENSITIVE_PARAMETER.test(name)) copy.searchParams.set(name, REDACTED);
  }
  return copy.href;
}

/**
 * The headers without `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie`,
 * names lower-cased. Pure.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2
 */
export function redactHeaders(
  headers: Headers | Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (!SENSITIVE_HEADER.test(name)) out[name.toLowerCase()] = value;
  }
  return out;
}
