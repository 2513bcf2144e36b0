// The OAuth 2.0 consent page of GET i/oauth2/authorize, listing the requested scopes.
import { KNOWN_SCOPES } from '../tokens/scopes.js';
import type { EmulatorUser } from '../types.js';
import { escapeHtml, page, userOptions } from './html.js';

/** What the OAuth 2.0 consent page shows. */
export interface OAuth2ConsentPage {
  readonly appName: string;
  readonly scopes: readonly string[];
  readonly requestId: string;
  readonly users: Iterable<EmulatorUser>;
  readonly selectedUserId: string | undefined;
}

/** Renders the page: app name, scopes, a user picker, Authorize and Cancel. */
export function renderOAuth2Consent(input: OAuth2ConsentPage): string {
  const scopes = input.scopes
    .map(
      (scope) =>
        `<li data-scope="${escapeHtml(scope)}"><code>${escapeHtml(scope)}</code>: ${escapeHtml(KNOWN_SCOPES[scope] ?? '')}</li>`,
    )
    .join('\n');
  return page(
    `Authorize ${input.appName}`,
    `<h1><span id="app-name">${escapeHtml(input.appName)}</span> wants to access your X account.</h1>
<p>It will be able to:</p>
<ul id="scopes">
${scopes}
</ul>
<form method="post" action="/i/oauth2/authorize">
<input type="hidden" name="request_id" value="${escapeHtml(input.requestId)}">
<p><label for="user_id">Sign in as</label>
<select name="user_id" id="user_id">
${userOptions(input.users, input.selectedUserId)}</select></p>
<p><button type="submit" id="authorize" name="action" value="authorize">Authorize app</button>
<button type="submit" id="cancel" name="action" value="cancel">Cancel</button></p>
</form>`,
  );
}
