// A request body as node:http sends it: a string or bytes, and the Content-Type that fetch
// would have derived from the body's kind (used only when the caller set none). Strings and
// bytes are ready at once; FormData, Blob and streams go through a Response, which makes the
// multipart encoding and its boundary exactly as fetch would.

/** A body ready for `request.end()`, with the Content-Type its kind implies, if any. */
export interface EncodedBody {
  readonly data: string | Uint8Array;
  readonly contentType: string | undefined;
}

const TEXT = 'text/plain;charset=UTF-8';
const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';

/**
 * Encodes `body` the way fetch's "extract a body" does: at once for strings, bytes and
 * `URLSearchParams`, through a `Response` (a promise) for anything else.
 */
export function encodeBody(body: BodyInit): EncodedBody | Promise<EncodedBody> {
  if (typeof body === 'string') return { data: body, contentType: TEXT };
  if (body instanceof Uint8Array) return { data: body, contentType: undefined };
  if (body instanceof ArrayBuffer) return { data: new Uint8Array(body), contentType: undefined };
  if (ArrayBuffer.isView(body)) {
    return {
      data: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      contentType: undefined,
    };
  }
  if (body instanceof URLSearchParams) return { data: body.toString(), contentType: FORM };
  const response = new Response(body);
  return response.arrayBuffer().then((bytes) => ({
    data: new Uint8Array(bytes),
    contentType: response.headers.get('content-type') ?? undefined,
  }));
}
