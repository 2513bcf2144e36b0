// Requests per second through XClient (app-only, GET /2/tweets?ids=<id>) against the emulator,
// versus plain fetch with a precomputed Authorization header to the same endpoint, in one run.
// The client sends through node:http by default, so two more rows give each transport's floor
// and the client on each: plain node:http with a keep-alive agent, and the client given the
// global fetch. Three more show what a timeout costs with Node's fetch: a signal of its own
// per request (AbortController and setTimeout), AbortSignal.any with AbortSignal.timeout (what
// the client's fetch transport does), and a signal shared by up to 64 requests (the deadline
// wheel it used before). twitter-api-v2, the most used X
// client on npm, makes the same call for comparison. All read and parse the JSON body. Short rounds alternate
// between the contenders (rotating the order), so machine noise hits all alike; the best
// round and the median round of each are reported, and this process's CPU time per request
// (lowest round), the steadier figure on a shared machine. Prints a Markdown table.
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { appOnlyAuth, obtainBearerToken, XClient } from '@x-oauth/client';
import { TwitterApi } from 'twitter-api-v2';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const child = fork(fileURLToPath(new URL('./emulator-child.mjs', import.meta.url)), {
  stdio: 'inherit',
  // Not the flags of this process (--cpu-prof would profile the emulator too).
  execArgv: [],
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
// The same client sending through the global fetch, as it does when given a fetch.
const fetchClient = new XClient({
  auth: appOnlyAuth({ bearerToken: token }),
  baseUrl: emulator.url,
  fetch: globalThis.fetch,
});

// The most used client on npm, on the same kind of keep-alive agent (it sends through
// node:https, which takes an http: agent for the emulator), parsing the JSON body as it does.
const twitterApi = new TwitterApi(token, {
  httpAgent: new http.Agent({ keepAlive: true, timeout: 4000 }),
});
const twitterApiPrefix = `${emulator.url}/2/`;

// The floor of the client's default transport: node:http with a keep-alive agent, the body
// read and parsed, no timeout. Idle sockets are dropped after 4 s as the client's are:
// the emulator closes them after 5 s, and reusing one as it closes fails the request.
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, timeout: 4000 });
function plainHttp() {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: { authorization },
        agent,
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`status ${response.statusCode}`));
          else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

// One AbortController and one timer per 64 requests: the shared "deadline wheel" the client's
// fetch transport used before 0.x (replaced by AbortSignal.any), reduced to its cost.
let shared = { controller: new AbortController(), uses: 0, timer: undefined };
function sharedSignal() {
  if (shared.uses === 64) {
    clearTimeout(shared.timer);
    shared = { controller: new AbortController(), uses: 0, timer: undefined };
  }
  if (shared.uses === 0) {
    const { controller } = shared;
    shared.timer = setTimeout(() => controller.abort(), 30_000);
  }
  shared.uses += 1;
  return shared.controller.signal;
}

const contenders = {
  'plain fetch, precomputed header': async () => {
    const response = await fetch(url, { headers: { authorization } });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return response.json();
  },
  // What a timeout costs the usual way: a per-request AbortController and a cleared timer.
  'plain fetch + own timeout signal': async () => {
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
  // What the client's fetch transport does: AbortSignal.any of the caller's signal and a timeout.
  'plain fetch + AbortSignal.any(timeout)': async () => {
    const signal = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(30_000)]);
    const response = await fetch(url, { headers: { authorization }, signal });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return response.json();
  },
  'plain fetch + shared timeout signal': async () => {
    const response = await fetch(url, { headers: { authorization }, signal: sharedSignal() });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return response.json();
  },
  'plain node:http, precomputed header': plainHttp,
  'XClient (fetch: globalThis.fetch)': () =>
    fetchClient.get('/2/tweets', { query: { ids: tweetId } }),
  'twitter-api-v2 1.29 (v2.get)': () =>
    twitterApi.v2.get('tweets', { ids: tweetId }, { prefix: twitterApiPrefix }),
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

// Warm up every path (JIT, keep-alive sockets).
for (const call of Object.values(contenders)) for (let i = 0; i < 300; i += 1) await call();

const names = Object.keys(contenders);
const rounds = Object.fromEntries(names.map((name) => [name, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  // Rotate the order, so no contender always runs on a warmer (or more tired) server.
  const order = Object.entries(contenders);
  for (let shift = 0; shift < r % order.length; shift += 1) order.push(order.shift());
  for (const [name, call] of order) rounds[name].push(await round(call));
}
child.disconnect();
// The shared signal's last timer would hold the process for 30 s.
clearTimeout(shared.timer);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summary = Object.fromEntries(
  names.map((name) => {
    const rps = rounds[name].map((result) => result.rps);
    const cpu = rounds[name].map((result) => result.cpuMicrosPerRequest);
    return [name, { best: Math.max(...rps), median: median(rps), cpu: Math.min(...cpu) }];
  }),
);
const baseline = summary['plain fetch, precomputed header'];
const measured = summary.XClient;
const overhead = 1 - measured.best / baseline.best;
const medianOverhead = 1 - measured.median / baseline.median;
const cpuOverhead = measured.cpu / baseline.cpu - 1;
const cpus = (await import('node:os')).cpus().length;
const percent = (value) => `${(value * 100).toFixed(1)}%`;
console.log(
  `Measured with \`pnpm bench\` (Node ${process.versions.node}, ${cpus} cores shared with the emulator's process, ${CONCURRENCY} requests in flight, ${ROUNDS} rounds of ${ROUND_MS / 1000} s per contender, alternating; all parse the JSON body):\n`,
);
console.log(
  '| Contender | Requests/s, best round | vs. plain fetch | Requests/s, median round | vs. plain fetch | Client CPU per request | vs. plain fetch |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, { best, median: middle, cpu }] of Object.entries(summary)) {
  console.log(
    `| ${name} | ${Math.round(best).toLocaleString('en-US')} | ${(best / baseline.best).toFixed(2)}x | ${Math.round(middle).toLocaleString('en-US')} | ${(middle / baseline.median).toFixed(2)}x | ${Math.round(cpu)} µs | ${(cpu / baseline.cpu).toFixed(2)}x |`,
  );
}
const versus = (name, base) => {
  const a = summary[name];
  const b = summary[base];
  return `${percent(1 - a.best / b.best)} on the best rounds, ${percent(1 - a.median / b.median)} on the median rounds, ${percent(a.cpu / b.cpu - 1)} CPU per request`;
};
// A negative overhead reads better as what it is: the client is faster than plain fetch.
const overheadText = (value, ratio) =>
  value >= 0 ? percent(value) : `none (${ratio.toFixed(2)}x plain fetch)`;
console.log(
  `\nThroughput overhead of the client: ${overheadText(overhead, measured.best / baseline.best)} on the best rounds, ${overheadText(medianOverhead, measured.median / baseline.median)} on the median rounds (target: under 10%, ${overhead < 0.1 && medianOverhead < 0.1 ? 'met' : '**not met**'}). Client-side CPU per request: ${cpuOverhead >= 0 ? '+' : ''}${percent(cpuOverhead)} against plain fetch.`,
);
const peer = summary['twitter-api-v2 1.29 (v2.get)'];
console.log(
  `\nAgainst twitter-api-v2: ${(measured.best / peer.best).toFixed(2)}x its requests per second on the best rounds, ${(measured.median / peer.median).toFixed(2)}x on the median rounds, ${(measured.cpu / peer.cpu).toFixed(2)}x its CPU per request.`,
);
console.log(
  `\nThe client's own work, each transport against its floor: XClient against plain node:http: ${versus('XClient', 'plain node:http, precomputed header')}; XClient with fetch against plain fetch: ${versus('XClient (fetch: globalThis.fetch)', 'plain fetch, precomputed header')}.`,
);
