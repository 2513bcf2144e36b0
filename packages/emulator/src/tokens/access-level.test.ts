import { describe, expect, it } from 'vitest';
import { grantedAccessLevel } from './access-level.js';

describe('grantedAccessLevel', () => {
  it('caps the app permission with x_auth_access_type and never raises it', () => {
    expect(grantedAccessLevel('read-write-dm', 'read')).toBe('read');
    expect(grantedAccessLevel('read-write-dm', 'write')).toBe('read-write');
    expect(grantedAccessLevel('read-write-dm', undefined)).toBe('read-write-dm');
    expect(grantedAccessLevel('read', 'write')).toBe('read');
  });
});
