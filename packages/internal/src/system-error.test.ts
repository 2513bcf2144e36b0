import { describe, expect, it } from 'vitest';
import { systemErrorCodes } from './system-error.js';

describe('systemErrorCodes', () => {
  it('collects distinct codes along the cause chain, outermost first', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const undici = Object.assign(new Error('other side closed'), {
      code: 'UND_ERR_SOCKET',
      cause: socket,
    });
    const fetchError = new TypeError('fetch failed', { cause: undici });
    expect(systemErrorCodes(fetchError)).toEqual(['UND_ERR_SOCKET', 'ECONNREFUSED']);
    expect(systemErrorCodes({ code: 'EPIPE', cause: { code: 'EPIPE' } })).toEqual(['EPIPE']);
  });

  it('ignores what does not look like a system code, and non-objects', () => {
    expect(systemErrorCodes({ code: 'token=abc secret' })).toEqual([]);
    expect(systemErrorCodes({ code: 42 })).toEqual([]);
    expect(systemErrorCodes('ECONNRESET')).toEqual([]);
    expect(systemErrorCodes(undefined)).toEqual([]);
  });

  it('stops four levels deep', () => {
    let chain: object = { code: 'EDEEP' };
    for (let level = 0; level < 4; level += 1) chain = { cause: chain };
    expect(systemErrorCodes(chain)).toEqual([]);
  });
});
