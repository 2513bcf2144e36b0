import { packageBuild } from '../../tsup.shared';

// Two entries: the core, and `./redis` (the only one that imports ioredis).
export default packageBuild(['src/index.ts', 'src/redis.ts']);
