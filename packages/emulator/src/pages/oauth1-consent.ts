// The OAuth 1.0a consent page of GET oauth/authorize and oauth/authenticate.

import { describeAccessLevel } from '../tokens/access-level.js';
import type { AppPermission, EmulatorUser } from '../types.js';
import { escapeHtml, page, userOptions } from './html.js';

/** What the OAuth 1.0a consent page shows. */
export interface OAuth1ConsentPage {
  /** `/oauth/authorize` or `/oauth/authenticate`: where the form posts back. */
  readonly action: string;
  readonly appName: string;
  readonly accessLevel: AppPermission;
  readonly requestToken: string;
  readonly consentNonce: string;
  readonly users: Iterable<EmulatorUser>;
  readonly selectedUserId: string | undefined;
}

/** Renders the page: app name, permissions, a user picker, Authorize and Cancel. */
export function renderOAuth1Consent(input: OAuth1ConsentPage): string {
  const permissions = describeAccessLevel(input.accessLevel)
    .map((line) => `<li>${escapeHtml(line)}</li>`)
    .join('\n');
  return page(
    `Authorize ${input.appName}`,
    `<h1>Authorize <span id="app-name">${escapeHtml(input.appName)}</span> to access your account?</h1>
<p>This application will be able to (<span id="access-level">${escapeHtml(input.accessLevel)}</span>):</p>
<ul id="permissions">
${permissions}
</ul>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="oauth_token" value="${escapeHtml(input.requestToken)}">
<input type="hidden" name="consent_nonce" value="${escapeHtml(input.consentNonce)}">
<p><label for="user_id">Sign in as</label>
<select name="user_id" id="user_id">
${userOptions(input.users, input.selectedUserId)}</select></p>
<p><button type="submit" id="authorize" name="action" value="authorize">Authorize app</button>
<button type="submit" id="cancel" name="action" value="cancel">Cancel</button></p>
</form>`,
  );
}
