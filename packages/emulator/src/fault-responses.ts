// What an injected `status` or `malformed-json` fault sends, shaped like X's own failures.
import { STATUS_CODES } from 'node:http';
import { type EmulatorResponse, JSON_CONTENT_TYPE, jsonResponse } from './http/response.js';
import type { FaultSpec } from './types.js';

/** The response of a `status` or `malformed-json` fault for a request to `path`. */
export function faultResponse(fault: FaultSpec, path: string): EmulatorResponse {
  if (fault.kind === 'malformed-json') {
    // A body cut off mid-object, as a proxy that drops the connection half-way would leave it.
    return {
      status: 200,
      headers: { 'content-type': JSON_CONTENT_TYPE },
      body: '{"data":{"id":"1","text":"trunc',
    };
  }
  const status = fault.status ?? 503;
  const title = STATUS_CODES[status] ?? 'Error';
  if (path.startsWith('/2/')) {
    return jsonResponse(status, { title, detail: title, type: 'about:blank', status });
  }
  const code = status === 503 ? 130 : 131;
  const message = status === 503 ? 'Over capacity' : 'Internal error';
  return jsonResponse(status, { errors: [{ code, message }] });
}
