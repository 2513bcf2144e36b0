// The Lua scripts of the Redis backend. Redis runs a script atomically: no other command runs
// between its reads and its writes, which is what makes compare-and-swap and a token-checked
// lock release possible without MULTI/WATCH round trips.
import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A Lua script and its SHA-1, as `EVALSHA` names it. */
export interface RedisScript {
  readonly source: string;
  readonly sha1: string;
}

function script(source: string): RedisScript {
  return Object.freeze({ source, sha1: createHash('sha1').update(source).digest('hex') });
}

/**
 * Compare-and-swap of a row. KEYS[1]: the row's hash. ARGV[1]: the expected version ('0': no
 * row yet). ARGV[2..]: every field and value of the new row, version included, written by one
 * HSET, so the access and refresh tokens (one ciphertext) and the version change together.
 * Returns 1 when written, 0 when the version moved (nothing written).
 */
export const COMPARE_AND_SWAP = script(`
if ARGV[1] == '0' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
elseif redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
`);

/** Deletes KEYS[1] if its `version` field is ARGV[1]. Returns 1 when deleted, 0 otherwise. */
export const DELETE_IF_VERSION = script(`
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`);

/**
 * Releases a lock only for its holder: deletes KEYS[1] if it still holds ARGV[1] (the holder's
 * random token). A holder whose lock expired and was taken by another cannot release the new
 * holder's lock.
 */
export const RELEASE_LOCK = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

/**
 * Runs a script on one key by its SHA-1, and sends its source only when the server does not
 * have it cached yet (`NOSCRIPT`, e.g. after a restart). Needs `EVALSHA` and `EVAL`, not
 * `SCRIPT`. Every script here touches exactly one key, so KEYS has one entry.
 */
export function runScript(
  client: Redis | Cluster,
  { source, sha1 }: RedisScript,
  key: string,
  args: readonly string[],
): Promise<unknown> {
  return client.evalsha(sha1, 1, key, ...args).catch((error: unknown) => {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(source, 1, key, ...args);
  });
}
