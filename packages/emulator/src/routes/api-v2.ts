// v2 endpoints: users/me, tweets (create, lookup) and tweets/search/recent, with X's rules
// per auth kind, OAuth 2.0 scope checks and problem-JSON errors.
import { type ApiCaller, authenticateApiRequest, isAuthFailure } from '../auth/api-auth.js';
import { authKindOf, principalOf } from '../auth/principal.js';
import { type EmulatorRequest, isJsonContentType } from '../http/request.js';
import { type EmulatorResponse, jsonResponse } from '../http/response.js';
import type { RouteContext } from '../runtime.js';
import { canWrite } from '../tokens/access-level.js';
import { checkTweetText } from '../tweet-text.js';
import { createTweet, searchRecent, v2Tweet } from '../tweets.js';
import { V2_PROBLEMS, v2InvalidRequest, v2ProblemResponse } from '../x-errors.js';

/** What an endpoint accepts. */
interface V2Rule {
  /** App-only bearer tokens are refused with "Unsupported Authentication". */
  readonly userContextOnly: boolean;
  /** OAuth 2.0 scopes the token must hold (X needs tweet.read and users.read for most). */
  readonly scopes: readonly string[];
  /** OAuth 1.0a tokens must have write access. */
  readonly write: boolean;
}

type Authorized =
  | { readonly ok: true; readonly caller: ApiCaller }
  | { readonly ok: false; readonly response: EmulatorResponse };

async function authorize(
  request: EmulatorRequest,
  context: RouteContext,
  rule: V2Rule,
): Promise<Authorized> {
  const caller = await authenticateApiRequest(request, context.runtime);
  if (isAuthFailure(caller))
    return { ok: false, response: v2ProblemResponse(V2_PROBLEMS.unauthorized) };
  context.meta.auth = authKindOf(caller);
  if (rule.userContextOnly && caller.kind === 'app-only') {
    return { ok: false, response: v2ProblemResponse(V2_PROBLEMS.unsupportedAuthentication) };
  }
  if (
    caller.kind === 'oauth2-user' &&
    !rule.scopes.every((scope) => caller.scopes.includes(scope))
  ) {
    return { ok: false, response: v2ProblemResponse(V2_PROBLEMS.forbidden) };
  }
  if (rule.write && caller.kind === 'oauth1' && !canWrite(caller.accessLevel)) {
    return { ok: false, response: v2ProblemResponse(V2_PROBLEMS.oauth1Permissions) };
  }
  const limited = context.limit(principalOf(caller));
  if (limited !== undefined) return { ok: false, response: limited };
  return { ok: true, caller };
}

/** `GET /2/users/me`: user context only; OAuth 2.0 needs `users.read` and `tweet.read`. */
export async function usersMe(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  const result = await authorize(request, context, {
    userContextOnly: true,
    scopes: ['tweet.read', 'users.read'],
    write: false,
  });
  if (!result.ok) return result.response;
  if (result.caller.kind === 'app-only')
    return v2ProblemResponse(V2_PROBLEMS.unsupportedAuthentication);
  const { user } = result.caller;
  return jsonResponse(200, { data: { id: user.id, name: user.name, username: user.screenName } });
}

/** `POST /2/tweets` with a JSON body `{"text": "…"}`: user context with write access. */
export async function createTweetRoute(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  const result = await authorize(request, context, {
    userContextOnly: true,
    scopes: ['tweet.read', 'tweet.write', 'users.read'],
    write: true,
  });
  if (!result.ok) return result.response;
  if (result.caller.kind === 'app-only')
    return v2ProblemResponse(V2_PROBLEMS.unsupportedAuthentication);
  if (!isJsonContentType(request.headers['content-type'])) {
    return v2InvalidRequest(['The request body must be JSON (Content-Type: application/json).']);
  }
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    return v2InvalidRequest(['The request body is not valid JSON.']);
  }
  const text = typeof body === 'object' && body !== null && 'text' in body ? body.text : undefined;
  if (typeof text !== 'string' || text.trim() === '') {
    return v2InvalidRequest(['The `text` field is required and must be a non-empty string.']);
  }
  const checked = checkTweetText(text);
  if (!checked.ok) {
    return v2InvalidRequest([
      checked.reason === 'too_long'
        ? 'The `text` field is longer than 280 characters.'
        : 'The `text` field contains characters that cannot be posted (NUL or a lone surrogate).',
    ]);
  }
  const tweet = createTweet(
    context.runtime.state,
    result.caller.user,
    checked.text,
    context.runtime.clock.now(),
  );
  if (tweet === 'duplicate') return v2ProblemResponse(V2_PROBLEMS.duplicateContent);
  return jsonResponse(201, { data: v2Tweet(tweet) });
}

// Search and lookup: app-only or user context; as a user, tweet.read and users.read.
const READ_TWEETS_AS_APP_OR_USER = {
  userContextOnly: false,
  scopes: ['tweet.read', 'users.read'],
  write: false,
} as const;

/** `GET /2/tweets/search/recent?query=…`: app-only or user context. */
export async function searchRecentRoute(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  const result = await authorize(request, context, READ_TWEETS_AS_APP_OR_USER);
  if (!result.ok) return result.response;
  const query = request.query.get('query') ?? '';
  if (query.trim() === '')
    return v2InvalidRequest(['The `query` query parameter can not be empty']);
  if (query.length > 512)
    return v2InvalidRequest(['The `query` query parameter is longer than 512 characters']);
  const maxText = request.query.get('max_results');
  const maxResults = maxText === null ? 10 : Number(maxText);
  if (!(Number.isInteger(maxResults) && maxResults >= 10 && maxResults <= 100)) {
    return v2InvalidRequest([
      `The \`max_results\` query parameter value [${maxText ?? ''}] is not between 10 and 100`,
    ]);
  }
  const tweets = searchRecent(
    context.runtime.state,
    query,
    context.runtime.clock.now(),
    maxResults,
  );
  if (tweets.length === 0) return jsonResponse(200, { meta: { result_count: 0 } });
  return jsonResponse(200, {
    data: tweets.map(v2Tweet),
    meta: {
      newest_id: tweets[0]?.id,
      oldest_id: tweets[tweets.length - 1]?.id,
      result_count: tweets.length,
    },
  });
}

/** `GET /2/tweets?ids=…`: app-only or user context; unknown ids come back in `errors`. */
export async function lookupTweets(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  const result = await authorize(request, context, READ_TWEETS_AS_APP_OR_USER);
  if (!result.ok) return result.response;
  const idsText = request.query.get('ids') ?? '';
  const ids = idsText.split(',').filter((id) => id !== '');
  if (ids.length === 0) return v2InvalidRequest(['The `ids` query parameter can not be empty']);
  if (ids.length > 100)
    return v2InvalidRequest(['The `ids` query parameter can hold at most 100 ids']);
  const bad = ids.find((id) => !/^[0-9]{1,19}$/.test(id));
  if (bad !== undefined) {
    return v2InvalidRequest([
      `The \`ids\` query parameter value [${bad}] does not match ^[0-9]{1,19}$`,
    ]);
  }
  const found = [];
  const errors = [];
  for (const id of ids) {
    const tweet = context.runtime.state.tweets.find((candidate) => candidate.id === id);
    if (tweet !== undefined) {
      found.push(v2Tweet(tweet));
    } else {
      errors.push({
        value: id,
        detail: `Could not find tweet with ids: [${id}].`,
        title: 'Not Found Error',
        resource_type: 'tweet',
        parameter: 'ids',
        resource_id: id,
        type: 'https://api.twitter.com/2/problems/resource-not-found',
      });
    }
  }
  const body: Record<string, unknown> = {};
  if (found.length > 0) body.data = found;
  if (errors.length > 0) body.errors = errors;
  return jsonResponse(200, body);
}
