// Defaults and validation of startEmulator's options.
import { isLoopbackHost } from '@x-oauth/internal';
import type { EndpointKey } from './endpoints.js';
import { resolveRateLimits } from './rate-limits.js';
import type { EmulatorOptions, RateLimitRule } from './types.js';

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly seed: string;
  readonly clock: () => number;
  readonly statePath: string | undefined;
  readonly control: boolean;
  readonly strictRefreshReuse: boolean;
  readonly timestampWindowSeconds: number;
  readonly requestTokenTtlSeconds: number;
  readonly codeTtlSeconds: number;
  readonly accessTokenTtlSeconds: number;
  readonly rateLimits: Readonly<Record<EndpointKey, RateLimitRule>>;
  readonly bearerTokenMinIntervalMs: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`${name} must be a positive number.`);
  return value;
}

/**
 * Fills defaults and refuses a non-loopback host unless `allowNonLoopback` is set: the
 * emulator hands out tokens to anyone who asks and must not be reachable from a network.
 */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && options.allowNonLoopback !== true) {
    throw new Error(
      `Refusing to listen on ${host}: the emulator is for loopback only. Pass allowNonLoopback: true if you really mean it.`,
    );
  }
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new RangeError('port must be an integer from 0 to 65535.');
  }
  const bearerTokenMinIntervalMs = options.bearerTokenMinIntervalMs ?? 0;
  if (!(bearerTokenMinIntervalMs >= 0))
    throw new RangeError('bearerTokenMinIntervalMs must be >= 0.');
  return {
    port,
    host,
    seed: options.seed ?? 'x-oauth',
    clock: options.clock ?? Date.now,
    statePath: options.statePath,
    control: options.control ?? false,
    strictRefreshReuse: options.strictRefreshReuse ?? false,
    timestampWindowSeconds: positive('timestampWindowSeconds', options.timestampWindowSeconds, 300),
    requestTokenTtlSeconds: positive('requestTokenTtlSeconds', options.requestTokenTtlSeconds, 900),
    codeTtlSeconds: positive('codeTtlSeconds', options.codeTtlSeconds, 30),
    accessTokenTtlSeconds: positive('accessTokenTtlSeconds', options.accessTokenTtlSeconds, 7200),
    rateLimits: resolveRateLimits(options.rateLimits),
    bearerTokenMinIntervalMs,
  };
}
