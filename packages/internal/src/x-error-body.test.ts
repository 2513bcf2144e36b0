import { describe, expect, it } from 'vitest';
import { problemName, readXErrorBody } from './x-error-body.js';

describe('readXErrorBody', () => {
  it('reads a v1.1 body', () => {
    expect(
      readXErrorBody({
        errors: [{ message: 'x' }, { code: 89, message: 'Invalid or expired token.' }],
      }),
    ).toEqual({ xCode: 89, problemType: undefined, problem: undefined, problemTitle: undefined });
  });

  it('reads a v2 problem body', () => {
    expect(
      readXErrorBody({
        title: 'Unsupported Authentication',
        detail: 'secret echoed',
        type: 'https://api.twitter.com/2/problems/unsupported-authentication',
        status: 403,
      }),
    ).toEqual({
      xCode: undefined,
      problemType: 'https://api.twitter.com/2/problems/unsupported-authentication',
      problem: 'unsupported-authentication',
      problemTitle: 'Unsupported Authentication',
    });
  });

  it('reads the type of a v2 errors[] body', () => {
    const body = {
      errors: [
        {
          parameters: { ids: ['x'] },
          title: 'Invalid Request',
          type: 'https://api.x.com/2/problems/invalid-request',
        },
      ],
    };
    expect(readXErrorBody(body)).toMatchObject({ problem: 'invalid-request', xCode: undefined });
  });

  it('takes the first integer code, skipping others', () => {
    expect(readXErrorBody({ errors: [{ code: '89' }, { code: 32 }] }).xCode).toBe(32);
    expect(readXErrorBody([1, 2]).xCode).toBeUndefined();
  });

  it('ignores anything else', () => {
    for (const body of [null, 'text', 42, [], { errors: 'no' }, { errors: [{ code: 1.5 }] }]) {
      expect(readXErrorBody(body)).toEqual({
        xCode: undefined,
        problemType: undefined,
        problem: undefined,
        problemTitle: undefined,
      });
    }
  });

  it('names a problem by the last path segment', () => {
    expect(problemName('https://api.x.com/2/problems/usage-capped?x=1#y')).toBe('usage-capped');
    expect(problemName('https://api.x.com/2/problems/unsupported-authentication/')).toBe(
      'unsupported-authentication',
    );
    expect(problemName('about:blank')).toBeUndefined();
    expect(problemName(undefined)).toBeUndefined();
  });
});
