// The consent page, clicked through with fetch by the emulator's own driver.
import { type ConsentChoice, completeConsent } from '@x-oauth/emulator';

/** Follows an authorize URL through the consent page; returns the `Location` it redirects to. */
export async function consent(authorizeUrl: string, choice: ConsentChoice = {}): Promise<string> {
  const outcome = await completeConsent(authorizeUrl, choice);
  if (outcome.kind !== 'redirect')
    throw new Error('The consent page showed a PIN, not a redirect.');
  return outcome.location;
}
