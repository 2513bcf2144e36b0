// Entry `@x-oauth/client/redis`: the Redis rate-limit store, kept apart so that users of the
// core entry never load ioredis.
export {
  createRedisRateLimitStore,
  type RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
} from './rate-limits/redis-store.js';
