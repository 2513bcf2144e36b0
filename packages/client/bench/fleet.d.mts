// Types of fleet.mjs, for test/fleet.test.ts.
import type { Emulator } from '@x-oauth/emulator';

export declare const FLEET_ENDPOINT: 'GET /2/users/me';

export interface FleetOptions {
  readonly processes: number;
  readonly callers: number;
  readonly windows: number;
  readonly limit: number;
  readonly windowSeconds: number;
  readonly redisUrl: string;
  /** Hide the store's `take` (the client then holds only pools known to be empty). */
  readonly withoutTake?: boolean;
}

export interface FleetResult {
  readonly processes: number;
  readonly callers: number;
  /** Requests the processes saw succeed. */
  readonly succeeded: number;
  /** 429 answers the processes saw (hooks). */
  readonly rateLimitedSeen: number;
  /** Codes of requests that failed in the end. */
  readonly errors: readonly string[];
  readonly perProcess: readonly number[];
  /** What the emulator saw of FLEET_ENDPOINT. */
  readonly sent: number;
  readonly answered429: number;
  readonly answered200: number;
  readonly emulatorWindows: readonly { start: number; ok: number; rejected: number }[];
  readonly maxPerWindow: number;
  /** 200s in the first `windows` windows' worth of time, per second. */
  readonly requestsPerSecond: number;
  readonly limitPerSecond: number;
  readonly wallSeconds: number;
}

export declare function runFleet(x: Emulator, options: FleetOptions): Promise<FleetResult>;
