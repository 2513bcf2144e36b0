// How the CLI shows results and errors: one short line each, codes first, no secrets (every
// error class underneath promises messages without tokens; the CLI adds none of its own).
import { isXApiError, type RateLimitHeaders, type RateLimitWindow } from '@x-oauth/client';
import { DemoConfigError } from '../config.js';
import { describeCauses } from '../describe-cause.js';
import { CliError } from './errors.js';

/** `CODE (status): message` for an error from any layer; the message never holds a secret. */
export function describeError(error: unknown): string {
  if (isXApiError(error)) {
    const status = error.status === undefined ? '' : ` (${error.status})`;
    const cause = error.causeCode === undefined ? '' : ` [${error.causeCode}]`;
    return `${error.code}${status}${cause}: ${error.message}${describeCauses(error)}`;
  }
  if (error instanceof CliError || error instanceof DemoConfigError) {
    return `${error.code}: ${error.message}`;
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : error.name;
    return `${code}: ${error.message}${describeCauses(error)}`;
  }
  return `Error: ${String(error)}`;
}

/** `200 GET /2/users/me · rate limit 74/75 left, resets 09:15:00Z` for the summary line. */
export function summaryLine(
  status: number,
  method: string,
  path: string,
  rateLimit: RateLimitHeaders,
): string {
  const parts = [`${status} ${method} ${path}`];
  const windows: [string, RateLimitWindow | undefined][] = [
    ['rate limit', rateLimit.window],
    ['app 24h', rateLimit.appDaily],
    ['user 24h', rateLimit.userDaily],
  ];
  for (const [name, window] of windows) {
    if (window !== undefined) {
      parts.push(
        `${name} ${window.remaining}/${window.limit} left, resets ${clock(window.resetAt)}`,
      );
    }
  }
  if (parts.length === 1) parts.push('no rate-limit headers');
  return parts.join(' · ');
}

/** A time of day in UTC, `HH:MM:SSZ`. */
export function clock(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 19)}Z`;
}

/** A JSON body for the terminal: pretty, or the text as it came. */
export function prettyBody(data: unknown): string {
  if (data === undefined) return '';
  if (typeof data === 'string') return data.endsWith('\n') ? data : `${data}\n`;
  return `${JSON.stringify(data, null, 2)}\n`;
}
