// The typed error's code a promise rejects with, for tests that compare failures by code.
import { expect } from 'vitest';
import { TokenStoreError } from '../src/index.js';

/** The `code` of the TokenStoreError `promise` rejects with, or undefined when it resolves. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenStoreError);
    return (error as TokenStoreError).code;
  }
  return undefined;
}
