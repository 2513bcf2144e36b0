// The demo's only script, served at /app.js (the Content-Security-Policy allows no inline
// script): tables with `data-source` re-read their rows from that JSON endpoint every three
// seconds (the live rate-limit pools).
export const SCRIPT = `'use strict';
(() => {
  const cell = (text) => { const td = document.createElement('td'); td.textContent = text; return td; };
  for (const table of document.querySelectorAll('table[data-source]')) {
    setInterval(async () => {
      try {
        const response = await fetch(table.dataset.source, { headers: { accept: 'application/json' } });
        if (!response.ok) return;
        const rows = await response.json();
        const body = document.createElement('tbody');
        for (const row of rows) {
          const tr = document.createElement('tr');
          const pool = document.createElement('td');
          const code = document.createElement('code');
          code.textContent = row.pool;
          pool.append(code);
          tr.append(pool, cell(row.kind), cell(row.remaining + ' / ' + row.limit), cell(row.resetAt));
          body.append(tr);
        }
        table.tBodies[0].replaceWith(body);
      } catch {}
    }, 3000);
  }
})();
`;
