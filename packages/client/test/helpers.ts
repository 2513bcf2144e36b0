// Test helpers: the emulator's consent pages clicked through with its own fetch driver, and
// small lookups.
import {
  type ConsentChoice,
  completeConsent,
  type Emulator,
  type EmulatorUser,
} from '@x-oauth/emulator';

export { submitConsent } from '@x-oauth/emulator';

/** Submits a consent page and returns where it redirects to. */
export async function consentRedirect(
  pageUrl: string,
  choice: ConsentChoice = {},
): Promise<string> {
  const outcome = await completeConsent(pageUrl, choice);
  if (outcome.kind !== 'redirect')
    throw new Error('The consent page showed a PIN, not a redirect.');
  return outcome.location;
}

/** The seeded user with this screen name. */
export function user(x: Emulator, screenName: string): EmulatorUser {
  const found = x.users.find((candidate) => candidate.screenName === screenName);
  if (found === undefined) throw new Error(`no user ${screenName}`);
  return found;
}

/** The request log entries of one endpoint (`METHOD /template`). */
export function logOf(x: Emulator, endpoint: string) {
  return x.requestLog().filter((entry) => entry.endpoint === endpoint);
}
