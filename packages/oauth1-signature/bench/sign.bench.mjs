// Signatures per second: this package against the raw HMAC floor and two peers, in one process.
// Run after `pnpm build` with `pnpm bench` (node --expose-gc bench/sign.bench.mjs); it imports
// the built package by name, which Node resolves to the node:crypto build.
import { createHmac } from 'node:crypto';
import os from 'node:os';
import { percentEncode, signRequest } from '@x-oauth/oauth1-signature';
import OAuth from 'oauth-1.0a';
import { Bench, hrtimeNow } from 'tinybench';
import { OAuth1Helper as TwitterApiV2OAuth1Helper } from 'twitter-api-v2/dist/cjs/client-mixins/oauth1.helper.js';

/**
 * The part of twitter-api-v2's OAuth1Helper this benchmark calls (it is not re-exported from the
 * package root, hence the deep import of its CommonJS build).
 * @typedef {{ key: string, secret: string }} Tokens
 * @typedef {{
 *   authorize(request: { url: string, method: string, data?: unknown }, tokens?: Partial<Tokens>):
 *     Record<string, string | number>,
 *   toHeader(info: Record<string, string | number>): { Authorization: string },
 * }} TwitterOAuth1Helper
 */

// Operations per timed sample: one signature takes a few microseconds, so timing each one alone
// would measure the timer as much as the work.
const BATCH = 64;
const ROUNDS = 3;
const TIME_PER_TASK_MS = 1200;
const WARMUP_MS = 400;
const TARGET_PEER_RATIO = 3;
// Options built in any usual way must sign within this fraction of each other (no cliffs).
const TARGET_SHAPE_SPREAD = 0.1;

// X's documented example credentials ("Creating a signature").
const consumer = {
  key: 'xvz1evFS4wEEPTGEFPHBog',
  secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
};
const token = {
  key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const signingKey = `${percentEncode(consumer.secret)}&${percentEncode(token.secret)}`;

const cases = [
  {
    name: 'POST /2/tweets (JSON body)',
    method: 'POST',
    url: 'https://api.x.com/2/tweets',
  },
  {
    name: 'GET /2/tweets/search/recent (5 query parameters)',
    method: 'GET',
    url: 'https://api.x.com/2/tweets/search/recent?query=from%3AXDevelopers%20-is%3Aretweet&max_results=100&tweet.fields=created_at,public_metrics&expansions=author_id&user.fields=username',
  },
];

const hmacSha1Base64 = (key, data) => createHmac('sha1', key).update(data).digest('base64');

const oauth10a = new OAuth({
  consumer,
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => hmacSha1Base64(key, base),
});

/** @type {TwitterOAuth1Helper} */
const twitterHelper = new TwitterApiV2OAuth1Helper({ consumerKeys: consumer });

/** Fails loudly if the contenders do not sign the same request identically. */
async function checkSameSignature({ method, url }) {
  const nonce = 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg';
  const timestamp = 1318622958;
  const ours = await signRequest({ method, url, consumer, token, nonce, timestamp });
  const fixedOAuth10a = new OAuth({
    consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => hmacSha1Base64(key, base),
  });
  fixedOAuth10a.getNonce = () => nonce;
  fixedOAuth10a.getTimeStamp = () => timestamp;
  const fixedHelper = new TwitterApiV2OAuth1Helper({ consumerKeys: consumer });
  fixedHelper.getNonce = () => nonce;
  fixedHelper.getTimestamp = () => timestamp;
  const theirs = [
    fixedOAuth10a.authorize({ method, url }, token).oauth_signature,
    fixedHelper.authorize({ method, url }, token).oauth_signature,
  ];
  for (const signature of theirs) {
    if (signature !== ours.signature) {
      throw new Error(`Contenders disagree on ${method} ${url}: ${signature} vs ${ours.signature}`);
    }
  }
}

function batch(operation) {
  return () => {
    for (let index = 0; index < BATCH; index++) operation();
  };
}

function asyncBatch(operation) {
  return async () => {
    for (let index = 0; index < BATCH; index++) await operation();
  };
}

/** A class whose instances carry the options as own fields, for the options-shape rows. */
class SignOptions {
  constructor(method, url, consumer, token) {
    this.method = method;
    this.url = url;
    this.consumer = consumer;
    this.token = token;
  }
}

// The same options built four ways: they must sign at the same speed (issue 15, no cliffs).
const SHAPES = {
  'options as a literal': (request) => ({
    method: request.method,
    url: request.url,
    consumer,
    token,
  }),
  'options with object spread': (request) => ({ ...request, consumer, token }),
  'options with Object.assign': (request) => Object.assign({}, request, { consumer, token }),
  'options as a class instance': (request) =>
    new SignOptions(request.method, request.url, consumer, token),
};
// Node 20's V8 builds `{ ...request, consumer, token }` itself slowly (microseconds; Node 22 and
// 24 do not), in the caller's code before signRequest runs; this row times that alone, so the
// report can tell the caller's cost from the signer's.
const BUILD_SPREAD = 'building `{ ...request, consumer, token }` alone';

function contendersFor({ method, url }, baseString) {
  let sink;
  const contenders = {
    floor: batch(() => {
      sink = hmacSha1Base64(signingKey, baseString);
    }),
    '@x-oauth/oauth1-signature': asyncBatch(async () => {
      sink = (await signRequest({ method, url, consumer, token })).authorization;
    }),
    'oauth-1.0a': batch(() => {
      sink = oauth10a.toHeader(oauth10a.authorize({ method, url }, token)).Authorization;
    }),
    'twitter-api-v2 OAuth1Helper': batch(() => {
      sink = twitterHelper.toHeader(twitterHelper.authorize({ method, url }, token)).Authorization;
    }),
    get sink() {
      return sink;
    },
  };
  const request = { method, url };
  for (const [shape, build] of Object.entries(SHAPES)) {
    contenders[`@x-oauth/oauth1-signature, ${shape}`] = asyncBatch(async () => {
      sink = (await signRequest(build(request))).authorization;
    });
  }
  contenders[BUILD_SPREAD] = batch(() => {
    sink = SHAPES['options with object spread'](request);
  });
  return contenders;
}

function opsPerSecond(task) {
  const result = task.result;
  if (result === undefined || result.error !== undefined) {
    throw result?.error ?? new Error(`${task.name} did not run`);
  }
  // Median latency of a batch (ms), so a stray pause from another process weighs little.
  return (BATCH * 1000) / result.latency.p50;
}

const collectGarbage = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

async function measure() {
  /** @type {Map<string, Map<string, number>>} case name -> contender -> best ops/s */
  const best = new Map();
  const tasks = [];
  for (const benchCase of cases) {
    await checkSameSignature(benchCase);
    // The floor signs a base string exactly as long as ours (same nonce length and timestamp
    // width), precomputed, so only the HMAC itself is timed.
    const { baseString } = await signRequest({ ...benchCase, consumer, token });
    const contenders = contendersFor(benchCase, baseString);
    best.set(benchCase.name, new Map());
    for (const name of [
      'floor',
      '@x-oauth/oauth1-signature',
      'oauth-1.0a',
      'twitter-api-v2 OAuth1Helper',
      ...Object.keys(SHAPES).map((shape) => `@x-oauth/oauth1-signature, ${shape}`),
      BUILD_SPREAD,
    ]) {
      tasks.push({ caseName: benchCase.name, name, fn: contenders[name] });
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({
      now: hrtimeNow,
      time: TIME_PER_TASK_MS,
      warmupTime: WARMUP_MS,
      throws: true,
      setup: () => collectGarbage(),
    });
    for (const { caseName, name, fn } of tasks) bench.add(`${caseName}\u0000${name}`, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const [caseName, name] = task.name.split('\u0000');
      const perCase = best.get(caseName);
      perCase.set(name, Math.max(perCase.get(name) ?? 0, opsPerSecond(task)));
    }
  }
  return best;
}

const format = (value) => Math.round(value).toLocaleString('en-US');
const ratio = (value) => `${value.toFixed(2)}x`;

const percent = (fraction) => `${(fraction * 100).toFixed(1)}%`;

function verdictLine({ caseName, floorRatio, peerRatio, shapeSpread, signerShapeSpread, ...met }) {
  return `${caseName}: ${ratio(floorRatio)} the floor, ${ratio(peerRatio)} the faster peer (${met.peerMet ? 'met' : 'MISSED'}); options shapes ${percent(signerShapeSpread)} apart in the signer (${met.shapesMet ? 'met' : 'MISSED'}), ${percent(shapeSpread)} with the caller's spread object built per call`;
}

function report(best) {
  const rows = [];
  const verdicts = [];
  for (const [caseName, results] of best) {
    const floor = results.get('floor');
    const ours = results.get('@x-oauth/oauth1-signature');
    const fasterPeer = Math.max(
      results.get('oauth-1.0a'),
      results.get('twitter-api-v2 OAuth1Helper'),
    );
    for (const [name, ops] of results) {
      rows.push({ caseName, name, ops: format(ops), toFloor: ratio(ops / floor) });
    }
    // Seconds per signature of each shape; for the spread row also without the time the caller
    // spent building the object (the BUILD_SPREAD row), which is V8's, not the signer's.
    const secondsPerSignature = Object.keys(SHAPES).map(
      (shape) => 1 / results.get(`@x-oauth/oauth1-signature, ${shape}`),
    );
    const shapeSpreadOf = (seconds) => 1 - Math.min(...seconds) / Math.max(...seconds);
    const shapeSpread = shapeSpreadOf(secondsPerSignature);
    const spreadIndex = Object.keys(SHAPES).indexOf('options with object spread');
    const signerShapeSpread = shapeSpreadOf(
      secondsPerSignature.map((seconds, index) =>
        index === spreadIndex ? seconds - 1 / results.get(BUILD_SPREAD) : seconds,
      ),
    );
    verdicts.push({
      caseName,
      floorRatio: ours / floor,
      peerRatio: ours / fasterPeer,
      shapeSpread,
      signerShapeSpread,
      peerMet: ours / fasterPeer >= TARGET_PEER_RATIO,
      shapesMet: signerShapeSpread <= TARGET_SHAPE_SPREAD,
    });
  }

  console.log(
    `\nNode ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), load ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `Best of ${ROUNDS} rounds of ${TIME_PER_TASK_MS} ms per contender, median of batches of ${BATCH}, wall clock.\n`,
  );
  console.table(
    rows.map(({ caseName, name, ops, toFloor }) => ({
      case: caseName,
      contender: name,
      'ops/s': ops,
      'x floor': toFloor,
    })),
  );
  console.log(
    `\nTargets: >= ${TARGET_PEER_RATIO}x the faster peer; the four options shapes within ${TARGET_SHAPE_SPREAD * 100}% of each other`,
  );
  for (const verdict of verdicts) {
    console.log(`  ${verdictLine(verdict)}`);
  }

  console.log('\n<!-- benchmark table: paste into bench/RESULTS.md -->');
  console.log('| Request | Contender | Signatures/s | vs. raw HMAC floor |');
  console.log('| --- | --- | ---: | ---: |');
  for (const { caseName, name, ops, toFloor } of rows) {
    const label = name === 'floor' ? 'floor: one `createHmac` over a same-size base string' : name;
    console.log(`| ${caseName} | ${label} | ${ops} | ${toFloor} |`);
  }
  console.log('');
  for (const verdict of verdicts) console.log(`- ${verdictLine(verdict)}.`);
  console.log(
    `\n_Node ${process.version}, ${os.cpus().length} cores; \`pnpm bench\`, best of ${ROUNDS} rounds._`,
  );
}

report(await measure());
