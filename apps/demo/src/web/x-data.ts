// The few shapes of X's JSON the pages show, narrowed step by step from `unknown`.

/** `GET /2/users/me`'s `data`. */
export interface XUser {
  readonly id: string;
  readonly name: string;
  readonly username: string;
}

/** A Tweet with the default v2 fields. */
export interface XTweet {
  readonly id: string;
  readonly text: string;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function text(value: unknown, name: string): string {
  const found = field(value, name);
  if (typeof found !== 'string') throw new Error(`X answered without a string "${name}".`);
  return found;
}

/** The user of a `GET /2/users/me` answer. */
export function parseUser(body: unknown): XUser {
  const data = field(body, 'data');
  return { id: text(data, 'id'), name: text(data, 'name'), username: text(data, 'username') };
}

/** The Tweet of a `POST /2/tweets` answer. */
export function parseTweet(body: unknown): XTweet {
  const data = field(body, 'data');
  return { id: text(data, 'id'), text: text(data, 'text') };
}

/** The Tweets of a search or lookup answer (none when `data` is absent). */
export function parseTweets(body: unknown): XTweet[] {
  const data = field(body, 'data');
  if (data === undefined) return [];
  if (!Array.isArray(data)) throw new Error('X answered with a "data" that is not a list.');
  return data.map((item: unknown) => ({ id: text(item, 'id'), text: text(item, 'text') }));
}
