// The one cookie the emulator uses: which user is "logged in" to the emulated x.com, so
// GET oauth/authenticate can skip the consent page for a returning user.

/** Name of the session cookie. */
export const SESSION_COOKIE = 'x_emulator_user';

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A Set-Cookie value for the session (HttpOnly, SameSite=Lax so the redirect keeps it). */
export function sessionCookie(userId: string): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(userId)}; Path=/; HttpOnly; SameSite=Lax`;
}
