// Tweet text as X measures it: twitter-text's weighted length (v3 configuration: most
// characters weigh 1; CJK, emoji and others weigh 2; any URL weighs 23; NFC first; 280 at most).
// X also refuses text that no UTF-8 encoder can carry or that its storage cuts at: NUL and
// lone surrogates, and twitter-text's own invalid characters (U+FFFE, U+FEFF, U+FFFF).
import twitterText from 'twitter-text';

/** The most weighted characters a Tweet may have. */
export const MAX_WEIGHTED_LENGTH = 280;

/** Whether text can be posted, and what X would say when it cannot. */
export type TweetTextCheck =
  | { readonly ok: true; readonly text: string; readonly weightedLength: number }
  | { readonly ok: false; readonly reason: 'too_long' | 'invalid_characters' };

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Measures `text` by twitter-text's rules (pure). */
export function checkTweetText(text: string): TweetTextCheck {
  if (text.includes('\0') || LONE_SURROGATE.test(text))
    return { ok: false, reason: 'invalid_characters' };
  const normalized = text.normalize('NFC');
  const parsed = twitterText.parseTweet(normalized);
  if (twitterText.hasInvalidCharacters(normalized)) {
    return { ok: false, reason: 'invalid_characters' };
  }
  if (parsed.weightedLength > MAX_WEIGHTED_LENGTH) return { ok: false, reason: 'too_long' };
  return { ok: true, text: normalized, weightedLength: parsed.weightedLength };
}
