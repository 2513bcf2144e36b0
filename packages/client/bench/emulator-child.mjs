// The emulator for the benchmark, in its own process so that its CPU time is not charged to
// the client being measured. Reports its URL and the app's keys over IPC.
import { startEmulator } from '@x-oauth/emulator';

const huge = { limit: 1_000_000_000, appLimit: 1_000_000_000, windowSeconds: 900 };
const x = await startEmulator({
  port: 0,
  rateLimits: { 'GET /2/tweets': huge, 'POST /oauth2/token': huge },
});
process.send?.({
  url: x.url,
  consumerKey: x.app.consumerKey,
  consumerSecret: x.app.consumerSecret,
});
process.on('disconnect', () => {
  x.close().then(() => process.exit(0));
});
