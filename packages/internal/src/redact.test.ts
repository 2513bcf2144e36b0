import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hideSecrets, REDACTED } from './redact.js';

describe('hideSecrets', () => {
  it('shows the redacted view to JSON.stringify and util.inspect, and is not spread', () => {
    const pair = hideSecrets({ key: 'consumer-key', secret: 'super-secret-value' }, 'Pair', () => ({
      key: 'consumer-key',
      secret: REDACTED,
    }));
    expect(JSON.stringify(pair)).toBe('{"key":"consumer-key","secret":"[redacted]"}');
    expect(inspect(pair)).toBe('Pair {"key":"consumer-key","secret":"[redacted]"}');
    expect(inspect({ nested: pair })).not.toContain('super-secret-value');
    expect({ ...pair }).toEqual({ key: 'consumer-key', secret: 'super-secret-value' });
    expect(pair.secret).toBe('super-secret-value');
  });
});
