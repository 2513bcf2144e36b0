// Drives the emulator's consent pages (OAuth 1.0a authorize/authenticate and OAuth 2.0
// authorize) the way a browser would, with fetch and no browser: load the page, read its form,
// post it back with the chosen button. For test suites that need a signed-in user quickly;
// the pages themselves stay plain HTML that a real browser (Playwright) can click too.

/** What the user does on a consent page. */
export interface ConsentChoice {
  /** Press `#authorize` (the default) or `#cancel`. */
  readonly action?: 'authorize' | 'cancel';
  /** The user to sign in as (an option of the page's user picker); the preselected one otherwise. */
  readonly userId?: string;
  /** Cookies to send, as a browser that signed in before would (`authenticate` reuses them). */
  readonly cookie?: string;
  /** The fetch to use; the global one by default. */
  readonly fetch?: typeof fetch;
}

/** Where a consent page sent the user. */
export type ConsentOutcome =
  | { readonly kind: 'redirect'; readonly location: string; readonly cookie: string }
  | { readonly kind: 'pin'; readonly pin: string; readonly cookie: string };

const ENTITIES: Readonly<Record<string, string>> = {
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)?.[1];
  return value?.replace(/&(?:quot|#39|#x27|lt|gt|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

function fieldsOf(form: string, choice: ConsentChoice): URLSearchParams {
  const fields = new URLSearchParams();
  for (const input of form.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name !== undefined && attribute(input, 'type')?.toLowerCase() !== 'submit') {
      fields.append(name, attribute(input, 'value') ?? '');
    }
  }
  const picker = /<select\b[^>]*name="user_id"[^>]*>([\s\S]*?)<\/select>/i.exec(form);
  if (picker !== null) {
    const options = (picker[1] ?? '').match(/<option\b[^>]*>/gi) ?? [];
    const preselected = options.find((option) => /\sselected/i.test(option)) ?? options[0];
    const chosen =
      choice.userId ?? (preselected === undefined ? undefined : attribute(preselected, 'value'));
    if (chosen !== undefined) fields.set('user_id', chosen);
  }
  const id = choice.action ?? 'authorize';
  const button = new RegExp(`<button\\b[^>]*id="${id}"[^>]*>`, 'i').exec(form)?.[0];
  if (button === undefined) throw new Error(`The consent page has no #${id} button.`);
  const name = attribute(button, 'name');
  if (name !== undefined) fields.set(name, attribute(button, 'value') ?? '');
  return fields;
}

/**
 * Opens a consent page (an `/oauth/authorize`, `/oauth/authenticate` or `/i/oauth2/authorize`
 * URL) and submits its form with the chosen button; resolves to the emulator's raw answer: a
 * redirect to the callback, or the PIN page for `oob`. A page that redirects at once (a
 * returning user on `authenticate`) or refuses the request is returned as it is.
 */
export async function submitConsent(
  pageUrl: string,
  choice: ConsentChoice = {},
): Promise<Response> {
  const send = choice.fetch ?? fetch;
  const page = await send(pageUrl, {
    redirect: 'manual',
    ...(choice.cookie === undefined ? {} : { headers: { cookie: choice.cookie } }),
  });
  if (page.status !== 200) return page;
  const html = await page.text();
  const form = /<form\b[^>]*>[\s\S]*?<\/form>/i.exec(html)?.[0];
  if (form === undefined) throw new Error('The consent page has no form.');
  const action = new URL(
    attribute(/<form\b[^>]*>/i.exec(form)?.[0] ?? '', 'action') ?? pageUrl,
    pageUrl,
  );
  const cookie = [choice.cookie, cookiesOf(page)]
    .filter((part) => part !== undefined && part !== '')
    .join('; ');
  return send(action, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie === '' ? {} : { cookie }),
    },
    body: fieldsOf(form, choice).toString(),
    redirect: 'manual',
  });
}

/**
 * Submits a consent page and tells where it led: the redirect `location` (with `code` and
 * `state`, `oauth_token` and `oauth_verifier`, `error=access_denied` or `denied=`), or the
 * 7-digit PIN shown for `oob`. Also returns the emulator's sign-in cookie, for a later
 * `authenticate`.
 * @throws {Error} when the page neither redirects nor shows a PIN (its status says why).
 */
export async function completeConsent(
  pageUrl: string,
  choice: ConsentChoice = {},
): Promise<ConsentOutcome> {
  const answer = await submitConsent(pageUrl, choice);
  const cookie = [choice.cookie, cookiesOf(answer)]
    .filter((part) => part !== undefined && part !== '')
    .join('; ');
  const location = answer.headers.get('location');
  if (answer.status >= 300 && answer.status < 400 && location !== null) {
    return { kind: 'redirect', location: new URL(location, pageUrl).href, cookie };
  }
  const pin =
    answer.status === 200
      ? /<code id="pin">(\d{7})<\/code>/.exec(await answer.text())?.[1]
      : undefined;
  if (pin !== undefined) return { kind: 'pin', pin, cookie };
  throw new Error(`The consent page answered ${answer.status} with neither a redirect nor a PIN.`);
}
