import { packageBuild } from '../../tsup.shared';

export default packageBuild(['src/index.ts', 'src/sqlite.ts', 'src/postgres.ts', 'src/redis.ts']);
