// Test helpers: drive the emulator's consent pages the way a browser would (load the page,
// read its form, post it back with the chosen button), over real HTTP with fetch.
import type { Emulator, EmulatorUser } from '@x-oauth/emulator';

function attribute(tag: string, name: string): string | undefined {
  const match = tag.match(new RegExp(`\\s${name}="([^"]*)"`, 'i'));
  return match?.[1]
    ?.replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Opens a consent page and submits its form; returns X's raw answer (a redirect or the PIN page). */
export async function submitConsent(
  pageUrl: string,
  choice: { action?: 'authorize' | 'cancel'; userId?: string } = {},
): Promise<Response> {
  const page = await fetch(pageUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const form = html.match(/<form\b[^>]*>[\s\S]*?<\/form>/i)?.[0];
  if (form === undefined) throw new Error('no form on the consent page');
  const action = new URL(
    attribute(form.match(/<form\b[^>]*>/i)?.[0] ?? '', 'action') ?? pageUrl,
    pageUrl,
  );
  const fields = new URLSearchParams();
  for (const input of form.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name !== undefined && attribute(input, 'type')?.toLowerCase() !== 'submit') {
      fields.append(name, attribute(input, 'value') ?? '');
    }
  }
  const select = form.match(/<select\b[^>]*name="user_id"[^>]*>([\s\S]*?)<\/select>/i);
  if (select !== null) {
    const options = [...(select[1] ?? '').matchAll(/<option\b[^>]*>/gi)].map((m) => m[0]);
    const chosen =
      choice.userId ??
      attribute(options.find((o) => /\sselected/i.test(o)) ?? options[0] ?? '', 'value');
    if (chosen !== undefined) fields.set('user_id', chosen);
  }
  const id = choice.action ?? 'authorize';
  const button = form.match(new RegExp(`<button\\b[^>]*id="${id}"[^>]*>`, 'i'))?.[0];
  if (button === undefined) throw new Error(`no #${id} button`);
  const buttonName = attribute(button, 'name');
  if (buttonName !== undefined) fields.set(buttonName, attribute(button, 'value') ?? '');
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return fetch(action, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie === '' ? {} : { cookie }),
    },
    body: fields.toString(),
    redirect: 'manual',
  });
}

/** Submits a consent page and returns where it redirects to. */
export async function consentRedirect(
  pageUrl: string,
  choice: { action?: 'authorize' | 'cancel'; userId?: string } = {},
): Promise<string> {
  const answer = await submitConsent(pageUrl, choice);
  const location = answer.headers.get('location');
  if (answer.status < 300 || answer.status >= 400 || location === null) {
    throw new Error(`consent answered ${answer.status} without a redirect`);
  }
  return new URL(location, pageUrl).href;
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
