// Drives the emulator's OAuth 2.0 consent page the way a browser would, with fetch: load the
// page, read its form, post it back with the chosen button, and return the redirect target.

/** What the user does on the consent page. */
export interface ConsentChoice {
  /** `authorize` (button #authorize) or `cancel` (button #cancel). */
  action?: 'authorize' | 'cancel';
  /** The user to sign in as (an `<option>` value of `user_id`); the preselected one otherwise. */
  userId?: string;
}

function attribute(tag: string, name: string): string | undefined {
  const match = tag.match(new RegExp(`\\s${name}="([^"]*)"`, 'i'));
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Follows an authorize URL through the consent page; returns the `Location` it redirects to. */
export async function consent(authorizeUrl: string, choice: ConsentChoice = {}): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200)
    throw new Error(`consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = html.match(/<form\b[^>]*>[\s\S]*?<\/form>/i)?.[0];
  if (form === undefined) throw new Error('no form on the consent page');
  const formTag = form.match(/<form\b[^>]*>/i)?.[0] ?? '';
  const action = new URL(attribute(formTag, 'action') ?? authorizeUrl, authorizeUrl);
  const fields = new URLSearchParams();
  for (const input of form.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name !== undefined && attribute(input, 'type')?.toLowerCase() !== 'submit') {
      fields.append(name, attribute(input, 'value') ?? '');
    }
  }
  const select = form.match(/<select\b[^>]*name="user_id"[^>]*>([\s\S]*?)<\/select>/i);
  if (select !== null) {
    const options = [...(select[1] ?? '').matchAll(/<option\b[^>]*>/gi)].map((match) => match[0]);
    const chosen =
      choice.userId ??
      attribute(options.find((option) => /\sselected/i.test(option)) ?? options[0] ?? '', 'value');
    if (chosen !== undefined) fields.set('user_id', chosen);
  }
  const buttonId = choice.action ?? 'authorize';
  const button = form.match(new RegExp(`<button\\b[^>]*id="${buttonId}"[^>]*>`, 'i'))?.[0];
  if (button === undefined) throw new Error(`no #${buttonId} button`);
  const buttonName = attribute(button, 'name');
  if (buttonName !== undefined) fields.set(buttonName, attribute(button, 'value') ?? '');

  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie !== '') headers.cookie = cookie;
  const answer = await fetch(action, {
    method: 'POST',
    headers,
    body: fields.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status < 300 || answer.status >= 400 || location === null) {
    throw new Error(
      `consent form answered ${answer.status} without a redirect: ${(await answer.text()).slice(0, 300)}`,
    );
  }
  return new URL(location, action).href;
}
