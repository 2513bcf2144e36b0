// Fault injection: latency, error statuses, dropped connections and malformed JSON, for a
// share of requests or one endpoint, so clients' retry and error paths can be tested.
import type { FaultSpec } from './types.js';

/** An active fault with its id and remaining uses. */
interface ActiveFault {
  readonly id: string;
  readonly spec: FaultSpec;
  remaining: number;
}

/** The faults registered on one emulator. */
export interface FaultRegistry {
  add(spec: FaultSpec): string;
  clear(): void;
  /** The fault to apply to a request for `endpoint`, if any (and uses one of its `times`). */
  take(endpoint: string): FaultSpec | undefined;
}

/** Validates a fault spec; throws with a message saying what is wrong. */
export function validateFault(spec: FaultSpec): void {
  const kinds = ['latency', 'status', 'drop', 'malformed-json'];
  if (!kinds.includes(spec.kind)) throw new Error(`Fault kind must be one of ${kinds.join(', ')}.`);
  if (spec.share !== undefined && !(spec.share >= 0 && spec.share <= 1)) {
    throw new Error('Fault share must be between 0 and 1.');
  }
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) {
    throw new Error('Fault times must be a positive integer.');
  }
  if (
    spec.status !== undefined &&
    !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)
  ) {
    throw new Error('Fault status must be an HTTP error status (400-599).');
  }
  if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0)) {
    throw new Error('Fault latencyMs must be zero or more.');
  }
}

/** A registry whose `share` draws come from `chance` (returns 0..1). */
export function createFaultRegistry(chance: () => number): FaultRegistry {
  let faults: ActiveFault[] = [];
  let counter = 0;
  return {
    add(spec) {
      validateFault(spec);
      counter += 1;
      const id = `fault-${counter}`;
      faults.push({ id, spec, remaining: spec.times ?? Number.POSITIVE_INFINITY });
      return id;
    },
    clear() {
      faults = [];
    },
    take(endpoint) {
      for (const fault of faults) {
        if (fault.spec.endpoint !== undefined && fault.spec.endpoint !== endpoint) continue;
        if (chance() >= (fault.spec.share ?? 1)) continue;
        fault.remaining -= 1;
        if (fault.remaining <= 0) faults = faults.filter((other) => other !== fault);
        return fault.spec;
      }
      return undefined;
    },
  };
}

/** A small seeded PRNG (mulberry32), so fault shares are reproducible for a given seed. */
export function seededChance(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
