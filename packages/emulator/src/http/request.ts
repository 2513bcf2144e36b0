// The parsed request handed to route handlers.
import type { IncomingHttpHeaders } from 'node:http';

/** One incoming request, body read and parsed where it is a form. */
export interface EmulatorRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The absolute URL as the client addressed it (Host header), for signature checks. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Raw body text ('' when none). */
  readonly rawBody: string;
  /** The parsed body when the content type is `application/x-www-form-urlencoded`. */
  readonly form: URLSearchParams | undefined;
  /** Path parameters from the route pattern. */
  readonly params: Readonly<Record<string, string>>;
}

/** Whether a Content-Type header names a form body (any charset parameter). */
export function isFormContentType(contentType: string | undefined): boolean {
  return (
    contentType !== undefined &&
    contentType.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
  );
}

/** Whether a Content-Type header names JSON. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return (
    contentType !== undefined &&
    contentType.split(';')[0]?.trim().toLowerCase() === 'application/json'
  );
}

/** A parameter from the form body, else from the query string. */
export function formOrQuery(request: EmulatorRequest, name: string): string | undefined {
  return request.form?.get(name) ?? request.query.get(name) ?? undefined;
}

/**
 * The request with a JSON object body read as its form (string, number and boolean members),
 * for endpoints that X answers in either encoding; unchanged when the body is not JSON;
 * `undefined` when it is JSON but not an object of such members.
 */
export function withJsonBodyAsForm(request: EmulatorRequest): EmulatorRequest | undefined {
  if (request.form !== undefined || !isJsonContentType(request.headers['content-type'])) {
    return request;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.rawBody);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      form.append(name, String(value));
    } else if (value !== null) {
      return undefined;
    }
  }
  return { ...request, form };
}
