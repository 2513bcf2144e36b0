// Reads the error shapes X answers with, narrowing unknown JSON step by step:
// v1.1 `{"errors":[{"code":99,"message":"…"}]}` (also the oauth/* and oauth2/* endpoints), v2
// problems `{"title","detail","type","status"}` (RFC 9457), and v2 `{"errors":[{"type",…}]}`.
// Only the numeric code, the problem type and the title are kept: X's free text can echo
// input, so it is never copied into an error message.

/**
 * The machine-readable parts of an X error body; fields are `undefined` when absent.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface XErrorBody {
  /** The first integer `errors[].code` (v1.1). */
  readonly xCode: number | undefined;
  /** The problem `type` URL: the body's own, else the first `errors[].type` (v2). */
  readonly problemType: string | undefined;
  /** The last path segment of `problemType` (`usage-capped`, …); none for `about:blank`. */
  readonly problem: string | undefined;
  /** The problem `title`, for classification only (never put in a message). */
  readonly problemTitle: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(body: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
}

function stringField(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The last path segment of a problem `type` URL; `undefined` for `about:blank` or none. X
 * serves the same problem under `api.twitter.com/2/problems/…` and `api.x.com/2/problems/…`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457#section-3.1.1
 */
export function problemName(problemType: string | undefined): string | undefined {
  if (problemType === undefined || problemType === 'about:blank') return undefined;
  const path = problemType.split(/[?#]/, 1)[0] ?? '';
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .at(-1);
}

/**
 * Reads the code, problem type and title out of an X error body (parsed JSON, or anything).
 *
 * @example readXErrorBody({ errors: [{ code: 89, message: 'Invalid or expired token.' }] }).xCode // 89
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export function readXErrorBody(body: unknown): XErrorBody {
  if (!isRecord(body)) {
    return {
      xCode: undefined,
      problemType: undefined,
      problem: undefined,
      problemTitle: undefined,
    };
  }
  const listed = entries(body);
  const xCode = listed
    .map((entry) => entry.code)
    .find((code): code is number => typeof code === 'number' && Number.isInteger(code));
  const first = listed[0];
  const problemType =
    stringField(body, 'type') ?? (first === undefined ? undefined : stringField(first, 'type'));
  const problemTitle =
    stringField(body, 'title') ?? (first === undefined ? undefined : stringField(first, 'title'));
  return { xCode, problemType, problem: problemName(problemType), problemTitle };
}
