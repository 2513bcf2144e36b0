// Reads the two error shapes X answers with, narrowing unknown JSON step by step:
// v1.1 `{"errors":[{"code":99,"message":"…","label":"…"}]}` (also the oauth2/* endpoints) and
// v2 problems `{"title","detail","type","status"}` (RFC 7807). Only the numeric code and the
// problem type are kept: free text is never copied into errors, so nothing X echoes can leak.

/**
 * The machine-readable parts of an X error body.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface XErrorInfo {
  /** `errors[0].code` of a v1.1 body. */
  readonly xCode: number | undefined;
  /** `type` of a v2 problem body. */
  readonly problemType: string | undefined;
  /** `title` of a v2 problem body, for classification only (never put in a message). */
  readonly problemTitle: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstV1Code(body: Record<string, unknown>): number | undefined {
  const errors = body.errors;
  if (!Array.isArray(errors)) return undefined;
  for (const entry of errors) {
    if (isRecord(entry) && typeof entry.code === 'number' && Number.isInteger(entry.code)) {
      return entry.code;
    }
  }
  return undefined;
}

/**
 * The machine-readable parts of an X error body (`undefined` fields when absent).
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export function readXError(body: unknown): XErrorInfo {
  if (!isRecord(body)) return { xCode: undefined, problemType: undefined, problemTitle: undefined };
  const problemType = typeof body.type === 'string' ? body.type : undefined;
  const problemTitle = typeof body.title === 'string' ? body.title : undefined;
  return { xCode: firstV1Code(body), problemType, problemTitle };
}

/**
 * The last path segment of a problem `type` URL. X serves the same problem under
 * `https://api.twitter.com/2/problems/…` and `https://api.x.com/2/problems/…`, so the
 * segment is what identifies it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457#section-3.1.1
 */
export function problemName(problemType: string | undefined): string | undefined {
  if (problemType === undefined) return undefined;
  const path = problemType.split(/[?#]/, 1)[0] ?? '';
  const segments = path.split('/').filter((segment) => segment !== '');
  return segments.at(-1);
}
