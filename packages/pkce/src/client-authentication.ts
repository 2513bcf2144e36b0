import { encodeBasicCredentials } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';
import type { OAuth2Client } from './types.js';

/**
 * Adds the client's identity to a token or revocation request the way X requires: a
 * confidential client (with a secret) sends `Authorization: Basic` with its id and secret; a
 * public client sends `client_id` in the form body, and no secret exists to send.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2.1
 */
export function authenticateClient(
  client: OAuth2Client,
  headers: Headers,
  body: URLSearchParams,
): void {
  checkClient(client);
  if (client.clientSecret === undefined) {
    body.set('client_id', client.clientId);
  } else {
    headers.set(
      'authorization',
      `Basic ${encodeBasicCredentials(client.clientId, client.clientSecret)}`,
    );
  }
}

/**
 * Refuses a client without an id, or with an empty or non-string secret.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function checkClient(client: unknown): asserts client is OAuth2Client {
  if (typeof client !== 'object' || client === null) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'client must be { clientId, clientSecret? }.',
    );
  }
  if (!('clientId' in client) || typeof client.clientId !== 'string' || client.clientId === '') {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'client.clientId must be a non-empty string.',
    );
  }
  if (
    'clientSecret' in client &&
    client.clientSecret !== undefined &&
    (typeof client.clientSecret !== 'string' || client.clientSecret === '')
  ) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'client.clientSecret must be a non-empty string, or left out for a public client.',
    );
  }
}
