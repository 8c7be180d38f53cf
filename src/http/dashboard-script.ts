// The dashboard's browser code, inlined into the page (the CSP allows only
// inline script and this origin). Every value from the API is set with
// textContent or as an attribute value; nothing is parsed as HTML.
// No backticks or dollar-brace below: this text sits inside a template literal.
export const dashboardScript = String.raw`
const $ = (id) => document.getElementById(id);
function el(tag, text, cls, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  return e;
}
const add = (parent, ...children) => { parent.append(...children.filter(Boolean)); return parent; };
for (const s of statuses) $('status').append(el('option', s));
$('token').value = localStorage.getItem('schemagate-token') ?? '';

// The open proposal is followed over its event stream (GET /api/proposals/:id/stream);
// where the server does not serve one, the page falls back to refreshing JSON.
const refreshMs = 4000;
const listRefreshMs = 15000;
const state = { cursors: [undefined], page: 0, next: null, items: [], selected: null, shown: null, timer: null, live: null, stream: null };

async function api(path, init) {
  const res = await fetch(path, { ...init, headers: { authorization: 'Bearer ' + $('token').value, ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { const e = new Error(body.error?.message ?? res.statusText); e.code = body.error?.code; throw e; }
  return body;
}
const say = (text) => { $('message').textContent = text ?? ''; };

async function loadList() {
  const params = new URLSearchParams({ limit: '20' });
  if ($('status').value) params.set('status', $('status').value);
  if ($('search').value.trim()) params.set('q', $('search').value.trim());
  const cursor = state.cursors[state.page];
  if (cursor) params.set('cursor', cursor);
  const page = await api('/api/proposals?' + params);
  state.items = page.items;
  state.next = page.next_cursor;
  renderList();
}

function renderList() {
  const shown = state.items;
  $('proposals').replaceChildren(...shown.map((p) => {
    const b = el('button', undefined, undefined, { type: 'button', 'data-id': p.id, 'aria-current': String(p.id === state.selected) });
    add(b, el('strong', p.title), el('div', p.status + ' · ' + p.agent + ' · r' + p.revision + ' · ' + p.updated_at.slice(0, 16).replace('T', ' '), 'meta'));
    b.onclick = () => open(p.id);
    return add(el('li'), b);
  }));
  if (shown.length === 0) $('proposals').append(el('li', $('search').value.trim() ? 'No proposal matches.' : 'No proposals.', 'meta'));
  $('page').textContent = 'page ' + (state.page + 1);
  $('newer').disabled = state.page === 0;
  $('older').disabled = !state.next;
}

async function start() {
  localStorage.setItem('schemagate-token', $('token').value);
  say('');
  state.cursors = [undefined]; state.page = 0;
  try { await loadList(); } catch (error) { say(error.message); return; }
  const wanted = location.hash.slice(1);
  if (wanted) await open(wanted);
  schedule();
}

function schedule() {
  clearTimeout(state.timer);
  const streaming = state.live === 'stream';
  state.timer = setTimeout(async () => {
    if (document.visibilityState === 'visible') {
      try { await loadList(); if (state.selected && !streaming) await show(state.selected, false); } catch (error) { say(error.message); }
    }
    schedule();
  }, streaming ? listRefreshMs : refreshMs);
}

function setLive(mode) {
  if (state.live === mode) return;
  state.live = mode;
  $('live-mode').hidden = false;
  $('live-mode').textContent = mode === 'stream' ? 'Live: changes appear as they happen.' : 'Refreshing every ' + refreshMs / 1000 + ' s.';
  schedule();
}

// Reads the server-sent events with fetch, which can send the token (EventSource cannot).
async function follow(id) {
  state.stream?.abort();
  const ctrl = new AbortController();
  state.stream = ctrl;
  while (state.selected === id && !ctrl.signal.aborted) {
    let res;
    try { res = await fetch('/api/proposals/' + id + '/stream', { headers: { authorization: 'Bearer ' + $('token').value }, signal: ctrl.signal }); }
    catch { if (ctrl.signal.aborted) return; setLive('poll'); return; }
    if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) { setLive('poll'); return; }
    setLive('stream');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: change$/m.test(frame) && state.selected === id) { await show(id, false); loadList().catch(() => {}); }
        }
      }
    } catch { if (ctrl.signal.aborted) return; }
    // The server ends each stream after a while: reconnect, after a breath.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function open(id) {
  state.selected = id;
  history.replaceState(null, '', '#' + id);
  renderList();
  await show(id, true);
  $('detail').focus();
  follow(id);
}

async function show(id, fresh) {
  let proposal, events;
  try { [proposal, events] = await Promise.all([api('/api/proposals/' + id), api('/api/proposals/' + id + '/events')]); }
  catch (error) { say(error.message); return; }
  const key = JSON.stringify([proposal.updated_at, proposal.status, proposal.approval, events.items.length]);
  if (!fresh && state.shown === key) return;
  if (!fresh && state.shownStatus && state.shownStatus !== proposal.status) $('live').textContent = proposal.title + ' is now ' + proposal.status;
  // Keep what the reviewer is typing across a live refresh.
  const draft = $('review-comment')?.value ?? '';
  state.shown = key; state.shownStatus = proposal.status;
  $('detail').replaceChildren(...renderProposal(proposal, events.items));
  if ($('review-comment')) $('review-comment').value = fresh ? '' : draft;
}

function renderProposal(p, events) {
  const result = p.preview?.result ?? {};
  const findings = result.analysis?.findings ?? [];
  const head = el('header', undefined, 'detail-head');
  const summary = el('p');
  add(summary, el('span', p.status, 'badge', { id: 'detail-status' }), ' ', el('span', 'risk ' + (p.risk_class ?? 'unknown'), 'badge risk-' + (p.risk_class ?? 'none')),
    ' revision ' + p.revision.number + ' · by ' + p.agent.name + ' · ' + p.name);
  const link = p.review?.url && /^https:\/\//.test(p.review.url) ? add(el('p'), el('a', 'Pull request on GitHub', undefined, { href: p.review.url, rel: 'noopener noreferrer', target: '_blank' })) : null;
  add(head, el('h2', p.title), summary, link, p.description ? el('p', p.description) : null,
    p.review?.migration_path ? el('p', 'Migration file: ' + p.review.migration_path, 'meta') : null, el('p', 'sha256 ' + p.revision.sha256, 'meta'));
  const skipped = result.skipped ? add(panel('Preview on a copy of production', 'preview-heading'), el('p', 'Not run: ' + result.skipped.replace(/^not run on a branch: /, 'guardrail findings forbid running it (') + (/^not run on a branch: /.test(result.skipped) ? ')' : ''))) : null;
  return [head, approvalPanel(p), sqlPanel(p, findings), revisionPanel(p), skipped ?? statementsPanel(result.preview), diffPanel(p, result.preview), checksPanel(result.preview), trailPanel(events)].filter(Boolean);
}

function panel(title, id) { const s = el('section', undefined, 'panel', id ? { 'aria-labelledby': id } : {}); s.append(el('h3', title, undefined, id ? { id } : {})); return s; }

function approvalPanel(p) {
  const a = p.approval ?? {};
  const s = panel('Approval', 'approval-heading');
  s.id = 'approval';
  if (p.risk_class === 'forbidden') {
    const guard = (p.preview?.result?.analysis?.findings ?? []).filter((f) => f.category === 'guardrail' && !f.suppressed);
    add(s, el('p', 'Forbidden: this migration can never be approved. The agent has to revise it.', 'blocking', { id: 'forbidden-why' }));
    if (guard.length) add(s, add(el('ul'), ...guard.map((f) => el('li', f.code + ': ' + f.message))));
  }
  const needed = typeof a.required === 'number' ? String(a.required) + (a.reviewers ? ' (from ' + a.reviewers.join(', ') + ')' : '') : p.risk_class === 'forbidden' ? 'none can count' : 'not known until the preview classifies it';
  add(s, el('p', 'Approvals needed: ' + needed, undefined, { id: 'approvals-needed' }));
  add(s, el('p', 'Approved by: ' + (a.approved_by?.length ? a.approved_by.join(', ') : 'nobody yet'), undefined, { id: 'approved-by' }));
  if (a.changes_requested_by?.length) add(s, el('p', 'Changes requested by: ' + a.changes_requested_by.join(', ')));
  for (const i of a.ignored ?? []) add(s, el('p', 'Not counted: ' + i.reviewer + ' (' + i.reason + ')', 'meta'));
  if (a.blocking?.length) add(s, el('p', 'Blocking:'), add(el('ul', undefined, 'blocking'), ...a.blocking.map((b) => el('li', b))));
  const reviewable = ['awaiting_review', 'changes_requested'].includes(p.status) && p.risk_class !== 'forbidden';
  if (reviewable) s.append(reviewForm(p));
  return s;
}

function reviewForm(p) {
  const form = el('form', undefined, 'review-form', { id: 'review-form' });
  const label = el('label', 'Comment (with a reviewer token)', undefined, { for: 'review-comment' });
  const text = el('textarea', undefined, undefined, { id: 'review-comment', rows: '3' });
  const actions = el('div', undefined, 'actions');
  for (const [state, name] of [['approve', 'Approve'], ['request_changes', 'Request changes'], ['reject', 'Reject']]) {
    const b = el('button', name, undefined, { type: 'submit', value: state, 'data-review': state });
    actions.append(b);
  }
  form.onsubmit = async (event) => {
    event.preventDefault();
    const verdict = event.submitter?.value ?? 'approve';
    if (verdict === 'reject' && !confirm('Reject this proposal? It ends and cannot be promoted.')) return;
    for (const b of actions.querySelectorAll('button')) b.disabled = true;
    try {
      const body = { state: verdict, sha256: p.revision.sha256, ...(text.value.trim() ? { comment: text.value.trim() } : {}) };
      const outcome = await api('/api/proposals/' + p.id + '/reviews', { method: 'POST', body: JSON.stringify(body) });
      say('');
      $('live').textContent = 'Review recorded: ' + outcome.status;
      await show(p.id, true);
      await loadList();
    } catch (error) {
      say(error.code === 'insufficient_scope' ? 'This token cannot review: paste a reviewer token (schemagate agents create <name> --reviewer).' : error.message);
      for (const b of actions.querySelectorAll('button')) b.disabled = false;
    }
  };
  return add(form, label, text, actions);
}

function sqlPanel(p, findings) {
  const s = panel('SQL and findings', 'sql-heading');
  const counts = [['error', 'errors'], ['warning', 'warnings'], ['info', 'info']].map(([sev, many]) => {
    const n = findings.filter((f) => f.severity === sev && !f.suppressed).length;
    return n + ' ' + (n === 1 ? sev : many);
  });
  add(s, el('p', findings.length ? counts.join(', ') : 'No findings' + (p.preview ? '.' : ' yet: the preview has not run.'), 'meta'));
  const byLine = new Map();
  for (const f of findings) {
    const line = f.span?.endLine ?? f.span?.line ?? 1;
    byLine.set(line, [...(byLine.get(line) ?? []), f]);
  }
  const list = el('ol', undefined, 'sql', { 'aria-label': 'SQL, one line per item, findings after the line they end on' });
  p.revision.sql.replace(/\n$/, '').split('\n').forEach((line, i) => {
    const here = byLine.get(i + 1) ?? [];
    const li = el('li', line || ' ', here.length ? 'flagged' : undefined);
    for (const f of here) li.append(findingBox(f));
    list.append(li);
  });
  return add(s, list);
}

function revisionPanel(p) {
  const diff = p.revision.diff_from_previous;
  if (!diff) return null;
  const s = panel('Changes since revision ' + (p.revision.number - 1), 'revision-heading');
  const pre = el('pre', undefined, 'revision-diff');
  for (const line of diff) pre.append(el('span', line + '\n', line[0] === '+' ? 'after' : line[0] === '-' ? 'before' : undefined));
  return add(s, add(el('div', undefined, 'scroll'), pre));
}

function findingBox(f) {
  const box = el('div', undefined, 'finding sev-' + f.severity, { role: 'note' });
  add(box, add(el('p'), el('span', f.severity, 'badge sev-' + f.severity), ' ', el('strong', f.code), ' ', f.message, f.suppressed ? ' (allowed: ' + f.suppressed.reason + ')' : ''));
  if (f.why) add(box, el('p', 'Why: ' + f.why));
  if (f.suggestion) add(box, el('p', 'Fix: ' + f.suggestion));
  return box;
}

const bytes = (n) => n >= 1 << 30 ? (n / (1 << 30)).toFixed(1) + ' GB' : n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + ' MB' : n >= 1024 ? Math.round(n / 1024) + ' kB' : n + ' B';
const ms = (n) => Math.round(n) + ' ms';

function tableSizeText(t) {
  const branch = t.table + ': ' + (t.rows ?? t.estimatedRows ?? '?') + ' rows on the branch';
  if (!t.production) return branch + ' · production unknown';
  return branch + ' · production ' + (t.production.estimatedRows === null ? 'unknown rows' : '~' + t.production.estimatedRows + ' rows') + ', ' + bytes(t.production.totalBytes);
}

function statementsPanel(preview) {
  const apply = preview?.apply;
  if (!apply) return null;
  const s = panel('Preview on a copy of production', 'preview-heading');
  add(s, el('p', (apply.ok ? 'Applied' : 'Failed') + ' as ' + apply.role + ' in ' + ms(apply.durationMs) + ' (' + apply.mode + ').'));
  // The branch holds a sample unless preview.baseMode is full; production's estimate is what predicts the lock.
  add(s, el('p', 'Tables: rows on the preview branch (a sample unless preview.baseMode is full), then production\'s row estimate and size, read from its catalog.', 'meta'));
  if (apply.error) add(s, el('p', apply.error.code + ' at line ' + apply.error.line + ', column ' + apply.error.column + ': ' + apply.error.message, 'blocking'));
  const table = el('table');
  add(table, add(el('thead'), add(el('tr'), ...['#', 'Statement', 'Time', 'Locks', 'Rewritten', 'Rows', 'Tables'].map((h) => el('th', h, undefined, { scope: 'col' })))));
  const body = el('tbody');
  for (const st of apply.statements) {
    const tr = el('tr');
    const locks = st.locks.map((l) => l.mode + ' on ' + l.relation).join(', ') || '—';
    const tables = (st.tables ?? []).map(tableSizeText).join('; ') || '—';
    add(tr, el('td', st.index + 1), el('td', st.kind + ' (line ' + st.line + ')'), el('td', ms(st.durationMs)), el('td', locks), el('td', st.rewritten.join(', ') || '—'), el('td', st.rowCount ?? '—'), el('td', tables));
    body.append(tr);
  }
  return add(s, add(el('div', undefined, 'scroll'), add(table, body)));
}

function describeObject(o) {
  if (!o) return '';
  return Object.entries(o).filter(([k]) => !['objectType', 'id'].includes(k)).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join('\n');
}

function diffPanel(p, preview) {
  if (p.schema_changes) return ddlPanel(p.schema_changes);
  const changes = preview?.diff?.changes;
  if (!changes) return null;
  const s = panel('Schema changes, per object', 'diff-heading');
  if (changes.length === 0) return add(s, el('p', 'No schema changes.'));
  for (const c of changes) {
    const d = el('div', undefined, 'diff-object');
    add(d, add(el('p'), el('span', c.kind, 'badge'), ' ', c.objectType + ' ', el('strong', c.id)));
    if (c.kind === 'changed') add(d, add(el('ul'), ...(c.attributes ?? []).map((a) => add(el('li', a.name + ': '), el('span', JSON.stringify(a.before), 'before'), ' → ', el('span', JSON.stringify(a.after), 'after')))));
    else add(d, el('pre', describeObject(c.kind === 'added' ? c.after : c.before), c.kind === 'added' ? 'after' : 'before'));
    s.append(d);
  }
  return s;
}

// Each object as DDL before and after (from the API), with the attribute changes in words.
function ddlPanel(changes) {
  const s = panel('Schema changes, per object', 'diff-heading');
  if (changes.length === 0) return add(s, el('p', 'No schema changes.'));
  for (const c of changes) {
    const d = el('div', undefined, 'diff-object');
    // Ids start with their type ("index public.orders_total"); the type is shown once.
    const name = c.id.startsWith(c.object_type + ' ') ? c.id.slice(c.object_type.length + 1) : c.id;
    add(d, add(el('p'), el('span', c.kind, 'badge'), ' ', c.object_type + ' ', el('strong', name)));
    if (c.details.length) add(d, add(el('ul'), ...c.details.map((line) => el('li', line))));
    if (c.before_ddl !== null) add(d, el('p', 'Before', 'meta'), el('pre', c.before_ddl, 'before'));
    if (c.after_ddl !== null) add(d, el('p', 'After', 'meta'), el('pre', c.after_ddl, 'after'));
    s.append(d);
  }
  return s;
}

function checksPanel(preview) {
  if (!preview) return null;
  const s = panel('Replay and reversibility', 'checks-heading');
  add(s, el('p', !preview.replay ? 'Replay: not run.' : preview.replay.ok ? 'Replay: the history plus this migration gives the same schema.' : 'Replay: drift in ' + preview.replay.drift.length + ' object(s).'));
  add(s, el('p', !preview.reversibility ? 'Reversibility: not checked.' : preview.reversibility.ok ? 'Reversibility: the down migration returns the schema to where it started.' : 'Reversibility: the down migration leaves ' + preview.reversibility.remaining.length + ' difference(s).'));
  const w = preview.compatibility;
  // Production's queries prepared on the branch (workload-compat.ts); their issues are findings SG501-SG504.
  add(s, el('p', !w ? 'Production queries: not checked.' : 'Production queries: ' + w.checked + ' prepared from ' + w.source + ', ' + w.issues.length + ' issue(s)' + (w.note ? ' (' + w.note + ')' : '') + '.'));
  return s;
}

function trailPanel(events) {
  const s = panel('Audit trail', 'trail-heading');
  const table = el('table');
  for (const e of events) add(table, add(el('tr'), el('td', e.created_at.replace('T', ' ').slice(0, 19)), el('td', e.type), el('td', (e.from_status ?? '') + (e.to_status ? ' → ' + e.to_status : '')), el('td', e.actor)));
  return add(s, add(el('div', undefined, 'scroll'), table));
}

$('load').onclick = start;
$('token').onkeydown = (e) => { if (e.key === 'Enter') start(); };
$('status').onchange = () => { state.cursors = [undefined]; state.page = 0; loadList().catch((e) => say(e.message)); };
// The server searches every proposal, not just this page; typing waits for a pause.
let searchTimer;
$('search').oninput = () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => { state.cursors = [undefined]; state.page = 0; loadList().catch((e) => say(e.message)); }, 250); };
$('older').onclick = () => { state.cursors[state.page + 1] = state.next; state.page++; loadList().catch((e) => say(e.message)); };
$('newer').onclick = () => { state.page = Math.max(0, state.page - 1); loadList().catch((e) => say(e.message)); };
window.onhashchange = () => { const id = location.hash.slice(1); if (id && id !== state.selected) open(id); };
if ($('token').value) start();
`;
