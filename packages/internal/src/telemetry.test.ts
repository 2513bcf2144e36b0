import { describe, expect, it } from 'vitest';
import { errorTypeOf } from './telemetry.js';

describe('errorTypeOf', () => {
  it('is the string code, else the class name, else Error; never the message', () => {
    expect(errorTypeOf(Object.assign(new Error('secret text'), { code: 'X_SERVER_ERROR' }))).toBe(
      'X_SERVER_ERROR',
    );
    expect(errorTypeOf(new DOMException('stopped', 'AbortError'))).toBe('AbortError');
    expect(errorTypeOf(new TypeError('secret text'))).toBe('TypeError');
    expect(errorTypeOf({ code: 5 })).toBe('Error');
    expect(errorTypeOf('secret text')).toBe('Error');
  });
});
