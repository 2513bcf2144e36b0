// Requests per second through XClient (app-only, GET /2/tweets?ids=<id>) against the emulator,
// versus plain fetch with a precomputed Authorization header to the same endpoint, in one run,
// and plain fetch with a per-request timeout signal (what any timeout costs). All read and parse
// the JSON body. Rounds rotate the order, and the best round of each counts, so machine noise
// hits all alike. Also reports this process's CPU time per request. Prints a Markdown table.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { appOnlyAuth, obtainBearerToken, XClient } from '@x-oauth/client';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const child = fork(fileURLToPath(new URL('./emulator-child.mjs', import.meta.url)), {
  stdio: 'inherit',
});
const emulator = await new Promise((resolve, reject) => {
  child.once('message', resolve);
  child.once('error', reject);
});
const consumer = { key: emulator.consumerKey, secret: emulator.consumerSecret };
const token = await obtainBearerToken({ consumer, baseUrl: emulator.url });
const authorization = `Bearer ${token}`;
const search = await fetch(`${emulator.url}/2/tweets/search/recent?query=emulator`, {
  headers: { authorization },
});
const tweetId = (await search.json()).data[0].id;
const url = `${emulator.url}/2/tweets?ids=${tweetId}`;

const client = new XClient({ auth: appOnlyAuth({ bearerToken: token }), baseUrl: emulator.url });

const contenders = {
  'plain fetch, precomputed header': async () => {
    const response = await fetch(url, { headers: { authorization } });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return response.json();
  },
  // What any timeout costs: fetch with a per-request AbortController and a cleared timer.
  'plain fetch + timeout signal': async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const response = await fetch(url, { headers: { authorization }, signal: controller.signal });
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      return await response.json();
    } finally {
      clearTimeout(timer);
    }
  },
  XClient: () => client.get('/2/tweets', { query: { ids: tweetId } }),
};

async function round(call) {
  let done = 0;
  const cpuBefore = process.cpuUsage();
  const end = performance.now() + ROUND_MS;
  const worker = async () => {
    while (performance.now() < end) {
      await call();
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    rps: (done * 1000) / (performance.now() - started),
    cpuMicrosPerRequest: (cpu.user + cpu.system) / done,
  };
}

// Warm up both paths (JIT, keep-alive sockets).
for (const call of Object.values(contenders)) for (let i = 0; i < 300; i += 1) await call();

const best = Object.fromEntries(Object.keys(contenders).map((name) => [name, 0]));
const cpu = Object.fromEntries(
  Object.keys(contenders).map((name) => [name, Number.POSITIVE_INFINITY]),
);
for (let r = 0; r < ROUNDS; r += 1) {
  // Rotate the order, so no contender always runs on a warmer (or more tired) server.
  const order = Object.entries(contenders);
  for (let shift = 0; shift < r % order.length; shift += 1) order.push(order.shift());
  for (const [name, call] of order) {
    const result = await round(call);
    best[name] = Math.max(best[name], result.rps);
    cpu[name] = Math.min(cpu[name], result.cpuMicrosPerRequest);
  }
}
child.disconnect();

const baseline = best['plain fetch, precomputed header'];
const baselineCpu = cpu['plain fetch, precomputed header'];
const overhead = 1 - best.XClient / baseline;
const cpuOverhead = cpu.XClient / baselineCpu - 1;
const cpus = (await import('node:os')).cpus().length;
console.log(
  `Measured with \`pnpm bench\` (Node ${process.versions.node}, ${cpus} cores, emulator in a child process, ${CONCURRENCY} requests in flight, best of ${ROUNDS} rounds of ${ROUND_MS / 1000} s each; all parse the JSON body):\n`,
);
console.log(
  '| Contender | Requests/s | vs. plain fetch | Client CPU per request | vs. plain fetch |',
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, rps] of Object.entries(best)) {
  console.log(
    `| ${name} | ${Math.round(rps).toLocaleString('en-US')} | ${(rps / baseline).toFixed(2)}x | ${Math.round(cpu[name])} µs | ${(cpu[name] / baselineCpu).toFixed(2)}x |`,
  );
}
console.log(
  `\nThroughput overhead: ${(overhead * 100).toFixed(1)}% (target: under 10%, ${overhead < 0.1 ? 'met' : '**not met**'}). Client-side CPU per request: ${cpuOverhead >= 0 ? '+' : ''}${(cpuOverhead * 100).toFixed(1)}% over plain fetch.`,
);
