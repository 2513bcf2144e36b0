// Responses as plain values: handlers return them, the server writes them. Keeping them data
// makes handlers easy to read and lets the server add Date and rate-limit headers in one place.

/** A response to send. Header names are lower-case. */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: string;
}

/** JSON content type, as X sends it. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A JSON response. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string | readonly string[]> = {},
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}

/**
 * A `key=value&…` body. X labels the OAuth 1.0a token responses `text/html;charset=utf-8`,
 * so that is what the emulator sends; clients must not rely on the content type.
 */
export function formResponse(
  status: number,
  pairs: Readonly<Record<string, string>>,
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'text/html;charset=utf-8', 'cache-control': 'no-store' },
    body: new URLSearchParams(pairs).toString(),
  };
}

/** An HTML page. */
export function htmlResponse(
  status: number,
  html: string,
  headers: Record<string, string | readonly string[]> = {},
): EmulatorResponse {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The pages carry no script; forbid any, and forbid framing (clickjacking on consent).
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      ...headers,
    },
    body: html,
  };
}

/** A plain-text response (X answers some OAuth 1.0a errors this way). */
export function textResponse(status: number, text: string): EmulatorResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

/** A 302 redirect. */
export function redirectResponse(
  location: string,
  headers: Record<string, string | readonly string[]> = {},
): EmulatorResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store', ...headers }, body: '' };
}

/** Returns `response` with extra headers merged in. */
export function withHeaders(
  response: EmulatorResponse,
  headers: Readonly<Record<string, string | readonly string[]>>,
): EmulatorResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}
