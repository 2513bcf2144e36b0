// The demo's only stylesheet, served at /style.css: readable, small, no framework.
export const STYLESHEET = `
:root { color-scheme: light dark; --accent: #1d9bf0; --muted: #6b7280; --line: #d1d5db; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1rem 1.25rem 3rem; }
header nav { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; border-bottom: 1px solid var(--line); padding-bottom: .5rem; }
header nav strong { margin-right: auto; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; margin: 1.25rem 0 .75rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
code, .token { font-family: ui-monospace, monospace; font-size: .92em; }
.flash { padding: .6rem .9rem; border-radius: .4rem; margin: 1rem 0; border: 1px solid var(--line); }
.flash.error { border-color: #dc2626; color: #b91c1c; }
.flash.ok { border-color: #16a34a; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; }
form.inline { display: inline; }
fieldset { border: 1px solid var(--line); border-radius: .4rem; }
fieldset label { display: inline-block; min-width: 12rem; }
button { font: inherit; padding: .35rem .9rem; border-radius: 999px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
input[type=text], textarea { font: inherit; width: 100%; padding: .35rem .5rem; }
.muted { color: var(--muted); }
ul.tweets { padding-left: 1.2rem; }
`;
