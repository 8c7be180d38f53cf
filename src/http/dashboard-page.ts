// The review dashboard: one static page that reads the API with a token the
// user pastes (kept in this browser only). Every value is inserted with
// textContent, never as HTML.
export const dashboardHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>schemagate</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; }
  header { display: flex; gap: 1rem; align-items: center; padding: .75rem 1.25rem; background: #1d2330; color: #fff; }
  header h1 { font-size: 1.1rem; margin: 0 auto 0 0; }
  input, select, button { font: inherit; padding: .3rem .5rem; }
  main { display: grid; grid-template-columns: minmax(18rem, 1fr) 2fr; gap: 1rem; padding: 1rem 1.25rem; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e6ec; vertical-align: top; }
  tr.proposal { cursor: pointer; }
  tr.proposal:hover, tr.selected { background: #eef3ff; }
  .status { font-family: ui-monospace, monospace; font-size: .85rem; }
  pre { white-space: pre-wrap; background: #f6f7f9; padding: .75rem; border-radius: 4px; max-height: 32rem; overflow: auto; }
  #message { color: #b42318; padding: 0 1.25rem; }
</style>
</head>
<body>
<header>
  <h1>schemagate</h1>
  <select id="status"><option value="">all statuses</option></select>
  <input id="token" type="password" placeholder="agent or reviewer token" size="30">
  <button id="load">Load</button>
</header>
<p id="message"></p>
<main>
  <section><table><thead><tr><th>Proposal</th><th>Status</th><th>Agent</th></tr></thead><tbody id="proposals"></tbody></table></section>
  <section id="detail"><p>Pick a proposal to see its report and audit trail.</p></section>
</main>
<script type="module">
const statuses = __STATUSES__;
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
for (const s of statuses) $('status').append(el('option', s));
$('token').value = localStorage.getItem('schemagate-token') ?? '';

async function api(path, type = 'json') {
  const res = await fetch(path, { headers: { authorization: 'Bearer ' + $('token').value } });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message ?? res.statusText);
  return type === 'json' ? res.json() : res.text();
}

async function load() {
  localStorage.setItem('schemagate-token', $('token').value);
  $('message').textContent = '';
  try {
    const status = $('status').value;
    const page = await api('/api/proposals?limit=100' + (status ? '&status=' + status : ''));
    const rows = page.items.map((p) => {
      const tr = el('tr', undefined, 'proposal');
      tr.append(el('td', p.title), el('td', p.status, 'status'), el('td', p.agent));
      tr.onclick = () => { document.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected')); tr.classList.add('selected'); show(p.id); };
      return tr;
    });
    $('proposals').replaceChildren(...rows);
  } catch (error) { $('message').textContent = error.message; }
}

async function show(id) {
  try {
    const [proposal, report, events] = await Promise.all([api('/api/proposals/' + id), api('/api/proposals/' + id + '/report', 'text'), api('/api/proposals/' + id + '/events')]);
    const trail = el('table');
    for (const e of events.items) {
      const tr = el('tr');
      tr.append(el('td', e.created_at.replace('T', ' ').slice(0, 19)), el('td', e.type, 'status'), el('td', (e.from_status ?? '') + (e.to_status ? ' → ' + e.to_status : '')), el('td', e.actor));
      trail.append(tr);
    }
    const review = proposal.review?.url ?? proposal.review?.migration_path ?? 'not under review yet';
    $('detail').replaceChildren(
      el('h2', proposal.title),
      el('p', proposal.status + ' · risk ' + (proposal.risk_class ?? 'unknown') + ' · revision ' + proposal.revision.number + ' · ' + review),
      el('h3', 'Report'), el('pre', report),
      el('h3', 'SQL'), el('pre', proposal.revision.sql),
      el('h3', 'Audit trail'), trail,
    );
  } catch (error) { $('message').textContent = error.message; }
}

$('load').onclick = load;
if ($('token').value) load();
</script>
</body>
</html>
`;
