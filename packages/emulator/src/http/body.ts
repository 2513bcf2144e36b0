// Reads a request body with a size limit, so a test (or a stray client) cannot exhaust memory.
import type { IncomingMessage } from 'node:http';

/** Default limit: 1 MiB, far above any auth or Tweet request. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Thrown when the body exceeds the limit; the server answers 413. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('The request body is too large.');
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the whole body as UTF-8 text. */
export async function readBody(
  request: IncomingMessage,
  limitBytes: number = DEFAULT_BODY_LIMIT_BYTES,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
