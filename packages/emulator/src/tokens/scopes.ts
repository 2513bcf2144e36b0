// X's OAuth 2.0 scopes, with the sentence the consent page shows for each.

/** Every scope X documents for OAuth 2.0 user context, and its consent-page description. */
export const KNOWN_SCOPES: Readonly<Record<string, string>> = {
  'tweet.read': 'All the Posts you can view, including Posts from protected accounts.',
  'tweet.write': 'Post and repost for you.',
  'tweet.moderate.write': 'Hide and unhide replies to your Posts.',
  'users.email': 'Your email address.',
  'users.read': 'Any account you can view, including protected accounts.',
  'follows.read': 'People who follow you and people you follow.',
  'follows.write': 'Follow and unfollow people for you.',
  'offline.access': 'Stay connected to your account until you revoke access.',
  'space.read': 'All the Spaces you can view.',
  'mute.read': 'Accounts you have muted.',
  'mute.write': 'Mute and unmute accounts for you.',
  'like.read': 'Posts you have liked and likes you can view.',
  'like.write': 'Like and unlike Posts for you.',
  'list.read': 'Lists, list members, and list followers of lists you created or are a member of.',
  'list.write': 'Create and manage Lists for you.',
  'block.read': 'Accounts you have blocked.',
  'block.write': 'Block and unblock accounts for you.',
  'bookmark.read': 'Get Bookmarked Posts from an authenticated user.',
  'bookmark.write': 'Bookmark and remove Bookmarks from Posts.',
  'dm.read': 'All your Direct Messages.',
  'dm.write': 'Send and manage Direct Messages for you.',
  'media.write': 'Upload media.',
};

/** Splits a `scope` parameter (space-separated, RFC 6749 §3.3) and reports unknown ones. */
export function parseScopes(value: string): { scopes: string[]; unknown: string[] } {
  const scopes = [...new Set(value.split(' ').filter((scope) => scope !== ''))];
  return { scopes, unknown: scopes.filter((scope) => !(scope in KNOWN_SCOPES)) };
}
