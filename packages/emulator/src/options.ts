// Defaults and validation of startEmulator's options.
import { isLoopbackHost } from '@x-oauth/internal';
import type { EndpointKey } from './endpoints.js';
import { resolveRateLimits } from './rate-limits.js';
import { defaultCaDir } from './tls/certificates.js';
import type { EmulatorOptions, RateLimitRule } from './types.js';

/** Where the TLS listener gets its CA: a directory to create it in, or files given. */
export type ResolvedTls =
  | { readonly kind: 'dir'; readonly caDir: string }
  | { readonly kind: 'files'; readonly certPath: string; readonly keyPath: string };

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
  readonly tls: ResolvedTls | undefined;
  readonly proxy: boolean;
  readonly proxyPort: number;
}

function resolveTls(options: EmulatorOptions): ResolvedTls | undefined {
  const tls = options.tls ?? options.proxy === true;
  if (tls === false) {
    if (options.proxy === true)
      throw new Error('proxy needs tls: drop tls: false or the proxy option.');
    return undefined;
  }
  if (tls === true) return { kind: 'dir', caDir: defaultCaDir() };
  const { caCertPath, caKeyPath, caDir } = tls;
  if ((caCertPath === undefined) !== (caKeyPath === undefined)) {
    throw new Error('tls.caCertPath and tls.caKeyPath go together: pass both, or neither.');
  }
  if (caCertPath !== undefined && caKeyPath !== undefined) {
    if (caDir !== undefined) throw new Error('Pass tls.caDir or the CA file paths, not both.');
    return { kind: 'files', certPath: caCertPath, keyPath: caKeyPath };
  }
  return { kind: 'dir', caDir: caDir ?? defaultCaDir() };
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
  const proxyPort = options.proxyPort ?? 0;
  if (!(Number.isInteger(proxyPort) && proxyPort >= 0 && proxyPort <= 65535)) {
    throw new RangeError('proxyPort must be an integer from 0 to 65535.');
  }
  return {
    tls: resolveTls(options),
    proxy: options.proxy === true,
    proxyPort,
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
