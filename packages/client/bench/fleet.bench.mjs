// The fleet benchmark: N processes, each with its own XClient, sharing one Redis rate-limit
// store with `holdWhenEmpty` (and `onLimit: 'wait'`), call one endpoint of the emulator whose
// limit is small and whose window is short, for several windows. They must never get a 429
// (this script exits non-zero if they do); their combined requests per second are reported
// against the emulator's limit rate (limit / window) and against one process alone, in one
// run. One more row runs the same fleet on a store without `take` (the client then holds only
// pools known to be empty, as before it could take), to show what the taking is for.
// Redis: X_OAUTH_TEST_REDIS (scripts/services.sh starts one on 6390).
import { cpus } from 'node:os';
import { startEmulator } from '@x-oauth/emulator';
import { FLEET_ENDPOINT, runFleet } from './fleet.mjs';

const PROCESSES = Number(process.env.FLEET_PROCESSES ?? 4);
const CALLERS = Number(process.env.FLEET_CALLERS ?? 4);
const LIMIT = Number(process.env.FLEET_LIMIT ?? 20);
const WINDOW_SECONDS = Number(process.env.FLEET_WINDOW_SECONDS ?? 2);
const WINDOWS = Number(process.env.FLEET_WINDOWS ?? 5);
const redisUrl = process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390';

const x = await startEmulator({
  port: 0,
  rateLimits: { [FLEET_ENDPOINT]: { limit: LIMIT, windowSeconds: WINDOW_SECONDS } },
});
const common = {
  callers: CALLERS,
  windows: WINDOWS,
  limit: LIMIT,
  windowSeconds: WINDOW_SECONDS,
  redisUrl,
};
let runs;
try {
  runs = {
    'one process': await runFleet(x, { ...common, processes: 1 }),
    [`${PROCESSES} processes`]: await runFleet(x, { ...common, processes: PROCESSES }),
    [`${PROCESSES} processes, store without take`]: await runFleet(x, {
      ...common,
      processes: PROCESSES,
      withoutTake: true,
    }),
  };
} finally {
  await x.close();
}

const solo = runs['one process'];
const fleet = runs[`${PROCESSES} processes`];
const number = (value, digits = 1) => value.toFixed(digits);
console.log(
  `Measured with \`pnpm bench\` (Node ${process.versions.node}, ${cpus().length} cores shared by the emulator, Redis and every process; ${CALLERS} callers per process, \`${FLEET_ENDPOINT}\` limited to ${LIMIT} requests per ${WINDOW_SECONDS} s window, ${WINDOWS} windows per run; requests/s count the 200s within ${WINDOWS} windows' worth of time from the first request):\n`,
);
console.log(
  '| Run | 200s | 429s | Most 200s in one emulator window | Requests/s | vs. limit rate | vs. one process |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, run] of Object.entries(runs)) {
  console.log(
    `| ${name} (${run.processes}×${run.callers} callers) | ${run.answered200} | ${run.answered429} | ${run.maxPerWindow} of ${LIMIT} | ${number(run.requestsPerSecond, 2)} | ${number(run.requestsPerSecond / run.limitPerSecond, 2)}x | ${number(run.requestsPerSecond / solo.requestsPerSecond, 2)}x |`,
  );
}
console.log(
  `\nThe fleet of ${PROCESSES} got ${fleet.answered429} 429s and ${fleet.errors.length} failed requests, at ${Math.round((fleet.requestsPerSecond / fleet.limitPerSecond) * 100)}% of the allowed rate (${number(fleet.requestsPerSecond, 2)} of ${number(fleet.limitPerSecond, 2)} requests/s), ${number(fleet.requestsPerSecond / solo.requestsPerSecond, 2)}x one process alone; its processes' shares: ${fleet.perProcess.join(', ')}.`,
);

// The fleet and the single process with `take` must not see a single 429, nor lose a request.
const failures = [];
for (const run of [solo, fleet]) {
  if (run.answered429 > 0 || run.rateLimitedSeen > 0)
    failures.push(`${run.processes} process(es): ${run.answered429} 429s`);
  if (run.errors.length > 0)
    failures.push(`${run.processes} process(es): failed requests ${run.errors.join(', ')}`);
  if (run.succeeded !== run.answered200)
    failures.push(
      `${run.processes} process(es): ${run.succeeded} succeeded, ${run.answered200} answered 200`,
    );
  if (run.maxPerWindow > LIMIT)
    failures.push(`${run.processes} process(es): ${run.maxPerWindow} in one window`);
}
if (failures.length > 0) {
  console.error(`\nfleet benchmark failed: ${failures.join('; ')}`);
  process.exitCode = 1;
}
