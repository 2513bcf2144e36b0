// What an injected `status` or `malformed-json` fault sends, shaped like X's own failures.
import { STATUS_CODES } from 'node:http';
import { type EmulatorResponse, JSON_CONTENT_TYPE, jsonResponse } from './http/response.js';
import type { FaultSpec, RateLimitRule } from './types.js';
import { v2ProblemResponse } from './x-errors.js';

/**
 * The x-rate-limit-* headers X sends with a 429 or 503 it decides itself: the endpoint's
 * 15-minute window, spent for a 429 (X sends no Retry-After; clients wait for the reset).
 */
export function faultRateLimitHeaders(
  status: number,
  rule: RateLimitRule | undefined,
  nowMs: number,
): Record<string, string> {
  if ((status !== 429 && status !== 503) || rule === undefined) return {};
  const windowMs = rule.windowSeconds * 1000;
  return {
    'x-rate-limit-limit': String(rule.limit),
    'x-rate-limit-remaining': status === 429 ? '0' : String(rule.limit - 1),
    'x-rate-limit-reset': String(Math.ceil((Math.floor(nowMs / windowMs) + 1) * (windowMs / 1000))),
  };
}

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
    return v2ProblemResponse({ title, detail: title, type: 'about:blank', status });
  }
  const code = status === 503 ? 130 : 131;
  const message = status === 503 ? 'Over capacity' : 'Internal error';
  return jsonResponse(status, { errors: [{ code, message }] });
}
