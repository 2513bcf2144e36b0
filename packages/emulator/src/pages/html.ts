// HTML escaping and the shared page frame. Every interpolated value goes through escapeHtml:
// app names, screen names, scopes and tokens all come from callers and may contain markup.

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Wraps page content (already escaped) in the emulator's frame. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} / X (emulator)</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #0f1419; }
.banner { font-size: .8rem; color: #536471; border-bottom: 1px solid #eff3f4; padding-bottom: .5rem; }
button { font-size: 1rem; padding: .5rem 1.25rem; border-radius: 9999px; border: 1px solid #cfd9de; cursor: pointer; }
#authorize { background: #0f1419; color: #fff; }
code#pin { font-size: 2rem; letter-spacing: .2em; }
</style>
</head>
<body>
<p class="banner">x-oauth emulator: a local stand-in for X. Not the real X.</p>
${body}
</body>
</html>
`;
}

/** One `<option>` per user, the preselected one marked. */
export function userOptions(
  users: Iterable<{ readonly id: string; readonly screenName: string; readonly name: string }>,
  selectedId: string | undefined,
): string {
  let html = '';
  for (const user of users) {
    const selected = user.id === selectedId ? ' selected' : '';
    html += `<option value="${escapeHtml(user.id)}"${selected}>@${escapeHtml(user.screenName)} (${escapeHtml(user.name)})</option>\n`;
  }
  return html;
}
