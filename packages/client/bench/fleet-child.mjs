// One process of the fleet (see fleet.mjs): its own XClient on the shared Redis rate-limit
// store, several callers on one endpoint until the deadline the parent set. Every caller's
// request is waited through to its answer. Reports over IPC what it got: requests that
// succeeded, 429s it saw, and the codes of requests that failed.
import { oauth1Auth, XClient } from '@x-oauth/client';
import { createRedisRateLimitStore } from '@x-oauth/client/redis';

process.once('message', async (task) => {
  const redisStore = createRedisRateLimitStore({ url: task.redisUrl, prefix: task.prefix });
  // The behaviour before `take`: hold only pools known to be empty.
  const store = task.withoutTake
    ? {
        get: (key) => redisStore.get(key),
        put: (pool) => redisStore.put(pool),
        list: (now) => redisStore.list(now),
      }
    : redisStore;
  let rateLimited = 0;
  const client = new XClient({
    auth: oauth1Auth({ consumer: task.consumer, token: task.token }),
    baseUrl: task.baseUrl,
    rateLimit: { store, holdWhenEmpty: true, onLimit: 'wait', maxWaitMs: 600_000 },
    hooks: {
      onResponse: (event) => {
        if (event.status === 429) rateLimited += 1;
      },
    },
  });
  let succeeded = 0;
  const errors = [];
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, task.startAt - Date.now())));
  const caller = async () => {
    while (Date.now() < task.endAt) {
      try {
        await client.get(task.path);
        succeeded += 1;
      } catch (error) {
        errors.push(String(error?.code ?? error?.name ?? 'unknown'));
      }
    }
  };
  await Promise.all(Array.from({ length: task.callers }, caller));
  await redisStore.close();
  process.send({ succeeded, rateLimited, errors }, () => process.disconnect());
});
