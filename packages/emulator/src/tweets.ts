// Tweets: creation with X's duplicate rule, a simple recent search, and the v1.1/v2 shapes.
import { type EmulatorState, nextTweetId, type TweetRecord } from './state.js';
import type { EmulatorUser } from './types.js';

/** Creates a Tweet, or reports a duplicate of the author's own text (X refuses those). */
export function createTweet(
  state: EmulatorState,
  author: EmulatorUser,
  text: string,
  now: number,
): TweetRecord | 'duplicate' {
  if (state.tweets.some((tweet) => tweet.authorId === author.id && tweet.text === text)) {
    return 'duplicate';
  }
  const tweet: TweetRecord = {
    id: nextTweetId(state, now),
    text,
    authorId: author.id,
    createdAt: now,
  };
  state.tweets.push(tweet);
  return tweet;
}

/**
 * Tweets of the last 7 days (X's "recent") containing every term of `query`, newest first.
 * Real search operators are not implemented: terms are matched case-insensitively.
 */
export function searchRecent(
  state: EmulatorState,
  query: string,
  now: number,
  maxResults: number,
): TweetRecord[] {
  const terms = query
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term !== '');
  const since = now - 7 * 24 * 60 * 60 * 1000;
  return state.tweets
    .filter((tweet) => tweet.createdAt >= since)
    .filter((tweet) => terms.every((term) => tweet.text.toLowerCase().includes(term)))
    .sort((a, b) => b.createdAt - a.createdAt || (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
    .slice(0, maxResults);
}

/** The v2 Tweet object (default fields). */
export function v2Tweet(tweet: TweetRecord): Record<string, unknown> {
  return { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** v1.1's date format: `Wed Oct 10 20:19:24 +0000 2018`. */
export function v1Date(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000 ${date.getUTCFullYear()}`;
}

/** The v1.1 user object (a subset of X's fields). */
export function v1User(user: EmulatorUser): Record<string, unknown> {
  return {
    id: exactId(user.id),
    id_str: user.id,
    name: user.name,
    screen_name: user.screenName,
    location: '',
    description: '',
    url: null,
    protected: false,
    followers_count: 0,
    friends_count: 0,
    created_at: v1Date(Date.UTC(2020, 0, 1)),
    verified: false,
  };
}

/** The v1.1 Tweet object (a subset of X's fields). */
export function v1Tweet(tweet: TweetRecord, author: EmulatorUser): Record<string, unknown> {
  return {
    created_at: v1Date(tweet.createdAt),
    id: exactId(tweet.id),
    id_str: tweet.id,
    text: tweet.text,
    truncated: false,
    user: v1User(author),
  };
}

const EXACT_ID_MARK = '__exact_id__';

/** Marks a numeric id string to be written as a bare JSON number by {@link v1Json}. */
function exactId(id: string): string {
  return `${EXACT_ID_MARK}${id}`;
}

/**
 * JSON for v1.1 bodies with 64-bit ids written as exact numbers, as X writes them (which is
 * why X also sends `id_str`: JavaScript's JSON.parse rounds them).
 */
export function v1Json(value: Record<string, unknown>): string {
  return JSON.stringify(value).replace(new RegExp(`"${EXACT_ID_MARK}(\\d+)"`, 'g'), '$1');
}
