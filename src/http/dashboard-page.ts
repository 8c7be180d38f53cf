import { dashboardScript } from './dashboard-script.ts';

// The review dashboard: one static page that reads the API with a token the
// user pastes (kept in this browser only). The report is built from the same
// model the markdown report is rendered from (findings, measurements, schema
// diff, approval state), as DOM nodes filled with textContent: no text from a
// proposal is ever parsed as HTML, so there is nothing to sanitize and no
// markdown renderer to keep patched.
const style = `
  :root { --ink: #1d2330; --line: #e3e6ec; --soft: #f6f7f9; --focus: #2457d6; }
  * { box-sizing: border-box; }
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: var(--ink); }
  body > header { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; padding: .6rem 1rem; background: var(--ink); color: #fff; }
  body > header h1 { font-size: 1.1rem; margin: 0 auto 0 0; }
  body > header label { flex: 1 1 12rem; justify-content: flex-end; }
  body > header input { width: 100%; max-width: 22rem; }
  body > header label { display: flex; gap: .35rem; align-items: center; }
  input, select, button, textarea { font: inherit; padding: .35rem .55rem; border: 1px solid #9aa3b5; border-radius: 4px; max-width: 100%; }
  button { cursor: pointer; background: #fff; }
  button:disabled { cursor: default; opacity: .5; }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  #message { color: #b42318; margin: .5rem 1rem; min-height: 1.2em; }
  #live-mode { margin: -.25rem 1rem .5rem; }
  main { display: grid; grid-template-columns: minmax(16rem, 1fr) minmax(0, 2.2fr); gap: 1rem; padding: 0 1rem 2rem; }
  @media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
  #list-tools { display: flex; flex-wrap: wrap; gap: .5rem; margin-bottom: .5rem; }
  #list-tools input { flex: 1 1 10rem; }
  ul.proposals { list-style: none; margin: 0; padding: 0; }
  ul.proposals button { display: block; width: 100%; text-align: left; border: 0; border-bottom: 1px solid var(--line); border-radius: 0; padding: .5rem; }
  ul.proposals button[aria-current="true"] { background: #eef3ff; }
  .meta { color: #5b6475; font-size: .85rem; overflow-wrap: anywhere; }
  .pager { display: flex; justify-content: space-between; margin-top: .5rem; }
  .badge { display: inline-block; font: .8rem ui-monospace, monospace; padding: .05rem .4rem; border-radius: 3px; background: var(--soft); border: 1px solid var(--line); }
  .risk-forbidden, .sev-error { background: #fde8e7; border-color: #f1a9a4; }
  .risk-high, .sev-warning { background: #fff4dc; border-color: #f0cf85; }
  .risk-low, .sev-info { background: #e8f4ff; border-color: #a9cdf1; }
  section.panel { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; margin: .75rem 0; overflow-wrap: anywhere; }
  section.panel h3 { margin: 0 0 .5rem; font-size: 1rem; }
  .blocking { color: #b42318; }
  .scroll { overflow-x: auto; }
  /* Narrow screens scroll a measurement table sideways rather than break its words letter by letter. */
  .scroll table { min-width: 36rem; }
  table { border-collapse: collapse; width: 100%; }
  th { white-space: nowrap; }
  td, th { text-align: left; padding: .3rem .45rem; border-bottom: 1px solid var(--line); vertical-align: top; }
  ol.sql { font: 13px/1.5 ui-monospace, monospace; background: var(--soft); margin: 0; padding: .5rem 0 .5rem 3.2rem; border-radius: 4px; overflow-x: auto; }
  ol.sql > li { white-space: pre; padding-right: .5rem; }
  ol.sql > li.flagged { background: #fff4dc; }
  ol.sql .finding { white-space: normal; font: 14px/1.4 system-ui, sans-serif; margin: .25rem .5rem .5rem -2.7rem; padding: .4rem .6rem; border-left: 4px solid #f0cf85; background: #fff; }
  ol.sql .finding.sev-error { border-left-color: #d92d20; }
  ol.sql .finding.sev-info { border-left-color: #2e90fa; }
  .finding p { margin: .2rem 0; }
  .review-form { display: grid; gap: .5rem; }
  .review-form .actions { display: flex; flex-wrap: wrap; gap: .5rem; }
  .diff-object { border-top: 1px solid var(--line); padding: .4rem 0; }
  .diff-object pre { white-space: pre-wrap; margin: .25rem 0; font: 12px/1.4 ui-monospace, monospace; background: var(--soft); padding: .4rem; }
  .before { color: #b42318; } .after { color: #067647; }
  pre.revision-diff { font: 13px/1.5 ui-monospace, monospace; background: var(--soft); padding: .5rem; margin: 0; }
`;

export const dashboardHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>schemagate</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${style}</style>
</head>
<body>
<header>
  <h1>schemagate</h1>
  <label><span class="sr-only">Token</span><input id="token" type="password" placeholder="agent or reviewer token" autocomplete="off"></label>
  <button id="load" type="button">Load</button>
</header>
<p id="message" role="alert"></p>
<p id="live" class="sr-only" aria-live="polite"></p>
<p id="live-mode" class="meta" hidden></p>
<main>
  <nav aria-label="Proposals">
    <div id="list-tools">
      <label class="sr-only" for="search">Search proposals</label>
      <input id="search" type="search" placeholder="search title, name, agent or id">
      <label class="sr-only" for="status">Status</label>
      <select id="status"><option value="">all statuses</option></select>
    </div>
    <ul class="proposals" id="proposals"></ul>
    <div class="pager"><button id="newer" type="button" disabled>← Newer</button><span id="page" class="meta"></span><button id="older" type="button" disabled>Older →</button></div>
  </nav>
  <article id="detail" tabindex="-1"><p>Paste a token and pick a proposal to see its report, review it and follow its trail.</p></article>
</main>
<script type="module">
const statuses = __STATUSES__;
${dashboardScript}
</script>
</body>
</html>
`;
