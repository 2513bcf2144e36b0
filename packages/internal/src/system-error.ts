// What a failed connection says without echoing anything: the system error codes (ECONNREFUSED,
// UND_ERR_SOCKET, ENOTFOUND, …) along the cause chain, never a message, which the failing
// layer may have built from the request (a URL with a token in it).

const SYSTEM_ERROR_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/**
 * The distinct system error codes of `error` and its causes (four levels deep: fetch wraps
 * undici's error, which wraps the socket's), outermost first.
 *
 * @example systemErrorCodes(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })) // ['ECONNREFUSED']
 * @see https://nodejs.org/api/errors.html#common-system-errors
 */
export function systemErrorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = 'code' in current ? current.code : undefined;
    if (typeof code === 'string' && SYSTEM_ERROR_CODE.test(code) && !codes.includes(code)) {
      codes.push(code);
    }
    current = 'cause' in current ? current.cause : undefined;
  }
  return codes;
}
