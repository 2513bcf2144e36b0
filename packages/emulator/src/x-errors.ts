// X's error bodies, exactly as X sends them: v1.1 `{"errors":[{code,message}]}`, v2 problem
// JSON (`title`, `detail`, `type`, `status`) and OAuth 2.0 token errors (RFC 6749 §5.2 shape).
import { type EmulatorResponse, jsonResponse, textResponse } from './http/response.js';

/** One v1.1 error: X's numeric code, message and (for the oauth2 endpoints) a label. */
export interface V1Error {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly label?: string;
}

/** The v1.1 errors the emulator sends, by name. */
export const V1_ERRORS = {
  couldNotAuthenticate: { status: 401, code: 32, message: 'Could not authenticate you.' },
  invalidOrExpiredToken: { status: 401, code: 89, message: 'Invalid or expired token.' },
  timestampOutOfBounds: { status: 401, code: 135, message: 'Timestamp out of bounds.' },
  badAuthenticationData: { status: 400, code: 215, message: 'Bad Authentication data.' },
  callbackNotApproved: {
    status: 403,
    code: 415,
    message:
      'Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings',
  },
  unableToVerifyCredentials: {
    status: 403,
    code: 99,
    label: 'authenticity_token_error',
    message: 'Unable to verify your credentials',
  },
  notPermittedToInvalidate: {
    status: 403,
    code: 348,
    message: 'Client application is not permitted to to invalidate this token.',
  },
  credentialsDoNotAllow: {
    status: 403,
    code: 220,
    message: 'Your credentials do not allow access to this resource.',
  },
  rateLimitExceeded: { status: 429, code: 88, message: 'Rate limit exceeded' },
  duplicateStatus: { status: 403, code: 187, message: 'Status is a duplicate.' },
  pageDoesNotExist: { status: 404, code: 34, message: 'Sorry, that page does not exist.' },
  internalError: { status: 500, code: 131, message: 'Internal error' },
  overCapacity: { status: 503, code: 130, message: 'Over capacity' },
} as const satisfies Record<string, V1Error>;

/** A v1.1 error response. */
export function v1ErrorResponse(error: V1Error): EmulatorResponse {
  const entry =
    error.label === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, label: error.label, message: error.message };
  return jsonResponse(error.status, { errors: [entry] });
}

/** X's 403 code 170 for a missing parameter of the oauth2 endpoints (`grant_type`, …). */
export function v1MissingParameter(name: string): EmulatorResponse {
  return v1ErrorResponse({
    status: 403,
    code: 170,
    label: 'forbidden_missing_parameter',
    message: `Missing required parameter: ${name}`,
  });
}

/** v1.1's answer to a read-only token that tries to write (an older, non-array shape). */
export function v1ReadOnlyApplication(path: string): EmulatorResponse {
  return jsonResponse(401, { request: path, error: 'Read-only application cannot POST.' });
}

/** A v2 problem body. */
export interface Problem {
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly status: number;
  readonly [extra: string]: unknown;
}

/** The v2 problems the emulator sends, by name. */
export const V2_PROBLEMS = {
  unauthorized: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
  forbidden: { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Forbidden' },
  unsupportedAuthentication: {
    title: 'Unsupported Authentication',
    detail:
      'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
    type: 'https://api.twitter.com/2/problems/unsupported-authentication',
    status: 403,
  },
  oauth1Permissions: {
    title: 'Forbidden',
    detail:
      'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
    type: 'https://api.twitter.com/2/problems/oauth1-permissions',
    status: 403,
  },
  duplicateContent: {
    title: 'Forbidden',
    detail: 'You are not allowed to create a Tweet with duplicate content.',
    type: 'about:blank',
    status: 403,
  },
  tooManyRequests: {
    title: 'Too Many Requests',
    detail: 'Too Many Requests',
    type: 'about:blank',
    status: 429,
  },
  notFound: { title: 'Not Found', detail: 'Not Found', type: 'about:blank', status: 404 },
  internalError: {
    title: 'Internal Server Error',
    detail: 'Internal Server Error',
    type: 'about:blank',
    status: 500,
  },
} as const satisfies Record<string, Problem>;

/** A v2 problem response. */
export function v2ProblemResponse(problem: Problem): EmulatorResponse {
  // X labels its v2 problem details as RFC 9457 says.
  return jsonResponse(problem.status, problem, { 'content-type': 'application/problem+json' });
}

/** v2's 400 "Invalid Request" with one message per bad parameter. */
export function v2InvalidRequest(messages: readonly string[]): EmulatorResponse {
  return jsonResponse(400, {
    errors: messages.map((message) => ({ parameters: {}, message })),
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  });
}

/** An OAuth 2.0 token-endpoint error (`{"error","error_description"}`). */
export function oauth2ErrorResponse(
  status: number,
  error: string,
  description: string,
): EmulatorResponse {
  return jsonResponse(status, { error, error_description: description });
}

/** The OAuth 2.0 errors the emulator sends, by name. */
export const OAUTH2_ERRORS = {
  invalidToken: [400, 'invalid_request', 'Value passed for the token was invalid.'],
  invalidCode: [400, 'invalid_request', 'Value passed for the authorization code was invalid.'],
  verifierMismatch: [
    400,
    'invalid_request',
    'Value passed for the code verifier did not match the code challenge.',
  ],
  redirectMismatch: [
    400,
    'invalid_request',
    'Value passed for the redirect uri did not match the uri of the authorization code.',
  ],
  invalidGrantType: [400, 'invalid_request', 'Value passed for the grant type was invalid.'],
  missingAuthorizationHeader: [401, 'unauthorized_client', 'Missing valid authorization header'],
  invalidClient: [401, 'invalid_client', 'Value passed for the client_id was invalid.'],
  malformedBody: [
    400,
    'invalid_request',
    'The request body must be a form or a JSON object of string values.',
  ],
} as const satisfies Record<string, readonly [number, string, string]>;

/** A named OAuth 2.0 error response. */
export function oauth2Error(name: keyof typeof OAUTH2_ERRORS): EmulatorResponse {
  const [status, error, description] = OAUTH2_ERRORS[name];
  return oauth2ErrorResponse(status, error, description);
}

/** `invalid_request` for a missing parameter, worded as X words it. */
export function oauth2MissingParameter(name: string): EmulatorResponse {
  return oauth2ErrorResponse(400, 'invalid_request', `Missing required parameter [${name}].`);
}

/** X's plain-text answer to a wrong or missing `oauth_verifier` on `oauth/access_token`. */
export function invalidVerifierResponse(): EmulatorResponse {
  return textResponse(401, 'Error processing your OAuth request: Invalid oauth_verifier parameter');
}
