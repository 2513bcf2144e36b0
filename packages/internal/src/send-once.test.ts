import { describe, expect, it } from 'vitest';
import { sendOnce, unlessAborted } from './send-once.js';
import type { FetchLike } from './types.js';

const url = new URL('https://api.x.com/oauth2/token');
const networkError = (cause: unknown) => new Error('network', { cause });

describe('sendOnce', () => {
  it('sends the URL with redirect: manual and the signal, and returns the raw answer', async () => {
    const seen: Array<[string, RequestInit]> = [];
    const answer = new Response('{}', { status: 200 });
    const fetch: FetchLike = async (input, init) => {
      seen.push([input, init]);
      return answer;
    };
    const signal = new AbortController().signal;
    const response = await sendOnce(
      fetch,
      url,
      { method: 'POST', body: 'a=1' },
      signal,
      networkError,
    );
    expect(response).toBe(answer);
    expect(seen).toEqual([[url.href, { method: 'POST', body: 'a=1', redirect: 'manual', signal }]]);
  });

  it('never follows a redirect, even when the caller asked to', async () => {
    let redirect: RequestRedirect | undefined;
    const fetch: FetchLike = async (_input, init) => {
      redirect = init.redirect;
      return new Response(null, { status: 200 });
    };
    await sendOnce(fetch, url, { redirect: 'follow' }, undefined, networkError);
    expect(redirect).toBe('manual');
  });

  it("turns a fetch failure into the caller's network error, keeping it as the cause", async () => {
    const failure = new TypeError('fetch failed: https://api.x.com/?secret');
    const fetch: FetchLike = async () => {
      throw failure;
    };
    const error = await sendOnce(fetch, url, {}, undefined, networkError).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('network');
    expect((error as Error).cause).toBe(failure);
  });

  it('rejects with the abort reason, before sending or while sending', async () => {
    let calls = 0;
    const before = new AbortController();
    const reason = new Error('stop');
    before.abort(reason);
    const counting: FetchLike = async () => {
      calls += 1;
      return new Response(null);
    };
    await expect(sendOnce(counting, url, {}, before.signal, networkError)).rejects.toBe(reason);
    expect(calls).toBe(0);

    const during = new AbortController();
    const failing: FetchLike = async () => {
      during.abort(reason);
      throw new TypeError('aborted');
    };
    await expect(sendOnce(failing, url, {}, during.signal, networkError)).rejects.toBe(reason);
  });
});

describe('unlessAborted', () => {
  it('passes results and errors through while the signal is not aborted', async () => {
    await expect(unlessAborted(undefined, Promise.resolve(1))).resolves.toBe(1);
    const failure = new Error('parse');
    await expect(unlessAborted(new AbortController().signal, Promise.reject(failure))).rejects.toBe(
      failure,
    );
  });

  it('throws the abort reason instead of the error an abort caused', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const work = (async () => {
      controller.abort(reason);
      throw new TypeError('body stream aborted');
    })();
    await expect(unlessAborted(controller.signal, work)).rejects.toBe(reason);
  });
});
