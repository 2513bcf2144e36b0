// Pure: a wire entry as text, for the CLI's `--verbose` (on stderr). Same content as the web
// panel: nothing in an entry is secret.
import type { WireEntry } from './entry.js';

/** A few indented lines per request. */
export function formatWireEntry(entry: WireEntry): string {
  const status = entry.status === 0 ? 'no answer' : String(entry.status);
  const lines = [
    `> ${entry.method} ${entry.url}${entry.attempt > 1 ? ` (attempt ${entry.attempt})` : ''}`,
  ];
  const auth = entry.authorization;
  if (auth.scheme === 'none') {
    lines.push('>   Authorization: none');
  } else {
    lines.push(`>   Authorization: ${auth.scheme}`);
    for (const parameter of auth.parameters)
      lines.push(`>     ${parameter.name}=${parameter.value}`);
  }
  if (entry.baseString !== undefined) lines.push(`>   Base string: ${entry.baseString}`);
  if (entry.pool !== undefined) lines.push(`>   Pool: ${entry.pool}`);
  const rateLimit =
    entry.rateLimit === undefined
      ? 'no rate-limit headers'
      : `rate limit ${entry.rateLimit.remaining}/${entry.rateLimit.limit}, resets ${new Date(entry.rateLimit.resetAt).toISOString().slice(11, 19)}Z`;
  const daily = [
    ['app 24h', entry.appDaily],
    ['user 24h', entry.userDaily],
  ] as const;
  const caps = daily
    .filter(([, window]) => window !== undefined)
    .map(([name, window]) => ` · ${name} ${window?.remaining}/${window?.limit}`)
    .join('');
  lines.push(`< ${status} in ${Math.round(entry.durationMs)} ms · ${rateLimit}${caps}`);
  if (entry.error !== undefined) lines.push(`<   Error: ${entry.error}`);
  return `${lines.join('\n')}\n`;
}
