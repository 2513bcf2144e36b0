// Signs X's documented example request ("Creating a signature") and prints what you would send.
// Run from the repository root after `pnpm build`: node packages/oauth1-signature/examples/sign.mjs
import { signRequest, verifyRequest } from '@x-oauth/oauth1-signature';

const consumer = {
  key: 'xvz1evFS4wEEPTGEFPHBog',
  secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
};
const token = {
  key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
};
const url = 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true';

const signed = await signRequest({
  method: 'POST',
  url,
  consumer,
  token,
  form: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
  nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', // fixed only to match X's example
  timestamp: 1318622958,
});

console.log(`POST ${url}`);
console.log(`Authorization: ${signed.authorization}`);
console.log('Content-Type: application/x-www-form-urlencoded');
console.log(`\n${signed.body}\n`);
console.log(`signature: ${signed.signature} (X's documented value: hCtSmYh+iHYCEqBWrE7C7hYmtUk=)`);

// The server side: the same package verifies the request.
const verified = await verifyRequest({
  method: 'POST',
  url,
  authorization: signed.authorization,
  form: signed.body,
  consumerSecret: (key) => (key === consumer.key ? consumer.secret : undefined),
  tokenSecret: (key) => (key === token.key ? token.secret : undefined),
  now: () => 1318622958 * 1000,
});
console.log(`verified by verifyRequest: ${verified.ok}`);
if (!verified.ok || signed.signature !== 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=') process.exit(1);
