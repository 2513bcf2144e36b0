// Pure: what X said in an error answer, in X's own words (its `errors[].code` and `message`,
// else `detail` or `title`, else OAuth's `error` and `error_description`). The client's typed
// errors deliberately copy none of X's text; the demo shows it beside them, as X's answers
// name parameters, never credentials. Long text is cut.

const MAX_LENGTH = 300;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `186: Tweet needs to be a bit shorter.`-style text, or undefined when the body says nothing. */
export function xErrorText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(record.errors)) {
    for (const item of record.errors.slice(0, 3) as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const error = item as Record<string, unknown>;
      const message = text(error.message) ?? text(error.detail) ?? text(error.title);
      const code = typeof error.code === 'number' ? `error ${error.code}` : undefined;
      const line = [code, message].filter((part) => part !== undefined).join(': ');
      if (line !== '') parts.push(line);
    }
  }
  if (parts.length === 0) {
    const detail = text(record.detail) ?? text(record.title);
    if (detail !== undefined) parts.push(detail);
  }
  if (parts.length === 0 && typeof record.error === 'string') {
    const description = text(record.error_description);
    parts.push(description === undefined ? record.error : `${record.error}: ${description}`);
  }
  if (parts.length === 0) return undefined;
  const joined = parts.join('; ');
  return joined.length > MAX_LENGTH ? `${joined.slice(0, MAX_LENGTH - 1)}…` : joined;
}

/** The X error text of an answer, read from a clone (the caller still reads the original). */
export async function xErrorOfResponse(response: Response): Promise<string | undefined> {
  try {
    return xErrorText(JSON.parse(await response.clone().text()));
  } catch {
    return undefined;
  }
}
