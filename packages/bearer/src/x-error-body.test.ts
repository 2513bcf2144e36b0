import { describe, expect, it } from 'vitest';
import { problemName, readXError } from './x-error-body.js';

describe('readXError', () => {
  it('reads the first numeric code of a v1.1 body', () => {
    expect(readXError({ errors: [{ message: 'x' }, { code: 99, message: 'y' }] }).xCode).toBe(99);
    expect(readXError({ errors: [{ code: '99' }] }).xCode).toBeUndefined();
    expect(readXError({ errors: 'nope' }).xCode).toBeUndefined();
  });

  it('reads the type and title of a v2 problem', () => {
    expect(readXError({ type: 'https://api.x.com/2/problems/x', title: 'T' })).toEqual({
      xCode: undefined,
      problemType: 'https://api.x.com/2/problems/x',
      problemTitle: 'T',
    });
  });

  it('gives nothing for values that are not objects', () => {
    for (const value of [undefined, null, 'text', 3, [1]]) {
      expect(readXError(value)).toEqual({
        xCode: undefined,
        problemType: undefined,
        problemTitle: undefined,
      });
    }
  });
});

describe('problemName', () => {
  it('is the last path segment of the type URL', () => {
    expect(problemName('https://api.twitter.com/2/problems/unsupported-authentication')).toBe(
      'unsupported-authentication',
    );
    expect(problemName('https://api.x.com/2/problems/unsupported-authentication/')).toBe(
      'unsupported-authentication',
    );
    expect(problemName('https://api.x.com/2/problems/unsupported-authentication?x=1#y')).toBe(
      'unsupported-authentication',
    );
    expect(problemName(undefined)).toBeUndefined();
  });
});
