// `@x-oauth/token-store/redis`: the Redis backend. A separate entry, so that only users of
// Redis load ioredis (an optional peer dependency).
export {
  createRedisBackend,
  REDIS_ACL_COMMANDS,
  type RedisBackendOptions,
} from './backends/redis/backend.js';
export { DEFAULT_REDIS_PREFIX } from './backends/redis/keys.js';
export type { LockPolling } from './backends/redis/lock.js';
