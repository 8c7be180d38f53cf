import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpDeps } from '../../src/http/deps.ts';
import { errorResponse, HttpError } from '../../src/http/respond.ts';
import { handleApi } from '../../src/http/router.ts';
import { proposalStreamRoute } from '../../src/http/routes/dashboard.ts';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { publishLocalReview } from '../../src/review/local-review.ts';
import { startApiServer } from '../support/api-server.ts';
import { createTestApp } from '../support/app.ts';

// The distribution's Chromium (`apt-get install chromium`, as .ci/run does),
// driven over CDP by playwright-core: no browser download at test time.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const artifacts = new URL('../../test-artifacts/', import.meta.url).pathname;

const sql = ['alter table orders add column note text;', 'create index orders_total on orders (total);', ''].join('\n');

/** What a preview stores, shaped as the preview job writes it: findings, per-statement measurements, a schema diff. */
function previewResult(riskClass: string) {
  if (riskClass === 'forbidden') {
    // A guardrail finding stops the preview before any branch: the executor stores the analysis alone.
    const finding = {
      code: 'SG301',
      severity: 'error',
      category: 'guardrail',
      message: 'GRANT changes privileges',
      statementIndex: 0,
      why: 'Agents may never change privileges.',
      suggestion: 'Ask an operator.',
    };
    return {
      analysis: {
        findings: [{ ...finding, span: { start: 0, end: 30, line: 1, column: 1, endLine: 1, endColumn: 31 } }],
        statements: [],
        riskClass,
      },
      preview: null,
      skipped: 'not run on a branch: SG301',
    };
  }
  const span = (line: number) => ({ start: 0, end: 10, line, column: 1, endLine: line, endColumn: 40 });
  const findings = [
    {
      code: 'SG101',
      severity: 'warning',
      category: 'lock',
      message: 'CREATE INDEX without CONCURRENTLY blocks writes to orders',
      statementIndex: 1,
      span: span(2),
      why: 'It holds a SHARE lock while it builds: inserts and updates wait.',
      suggestion: 'create index concurrently orders_total on orders (total);',
    },
  ];
  return {
    analysis: { findings, statements: [], riskClass },
    preview: {
      ok: true,
      steps: [],
      apply: {
        ok: true,
        mode: 'transaction',
        committed: false,
        durationMs: 42,
        role: 'sg_preview',
        statements: [
          {
            index: 0,
            line: 1,
            column: 1,
            kind: 'AlterTableStmt',
            text: '',
            ok: true,
            durationMs: 3,
            rowCount: null,
            locks: [{ relation: 'public.orders', relkind: 'r', mode: 'AccessExclusiveLock' }],
            rewritten: [],
            tables: [{ table: 'public.orders', totalBytes: 52_428_800, rows: null, estimatedRows: 480_000 }],
          },
          {
            index: 1,
            line: 2,
            column: 1,
            kind: 'IndexStmt',
            text: '',
            ok: true,
            durationMs: 38,
            rowCount: null,
            locks: [{ relation: 'public.orders', relkind: 'r', mode: 'ShareLock' }],
            rewritten: [],
            tables: [
              {
                table: 'public.orders',
                totalBytes: 52_428_800,
                rows: 1000,
                estimatedRows: 1000,
                production: { estimatedRows: 2_400_000, totalBytes: 262_144_000 },
              },
            ],
          },
        ],
      },
      diff: {
        changes: [
          {
            kind: 'added',
            objectType: 'index',
            id: 'index public.orders_total',
            after: {
              objectType: 'index',
              id: 'index public.orders_total',
              table: 'public.orders',
              definition: 'CREATE INDEX orders_total ON public.orders USING btree (total)',
              unique: false,
              valid: true,
              predicate: null,
            },
          },
          {
            kind: 'changed',
            objectType: 'column',
            id: 'column public.orders.note',
            details: ['nullable: true -> false'],
            before: {
              objectType: 'column',
              id: 'column public.orders.note',
              table: 'public.orders',
              position: 3,
              type: 'text',
              nullable: true,
              default: null,
              identity: null,
              generated: null,
              generatedKind: null,
              collation: null,
            },
            after: {
              objectType: 'column',
              id: 'column public.orders.note',
              table: 'public.orders',
              position: 3,
              type: 'text',
              nullable: false,
              default: null,
              identity: null,
              generated: null,
              generatedKind: null,
              collation: null,
            },
          },
        ],
      },
      replay: { ok: true, drift: [] },
    },
  };
}

let context: BrowserContext;
let page: Page;
let profile: string;
const dirs: string[] = [];
// Console errors include every Content-Security-Policy violation: the page must cause none.
const consoleErrors: string[] = [];

/** A fresh control plane (the support helpers drop it after each test) behind a real socket, reviewing locally. */
async function setUp() {
  const app = await createTestApp();
  const repositoryDir = await mkdtemp(path.join(tmpdir(), 'sg-dash-repo-'));
  dirs.push(repositoryDir);
  app.deps.config = { ...app.deps.config, review: { ...app.deps.config.review, provider: 'local', repositoryDir } };
  const base = await startApiServer(app.deps, withoutStream);
  return { app, base, repositoryDir };
}
type Setup = Awaited<ReturnType<typeof setUp>>;

/** Runs the preview job once with a stored result of the given risk class, and publishes the proposal for local review. */
async function preview({ app, repositoryDir }: Setup, riskClass: string) {
  const outcome = await processNextPreview({
    db: app.database.db,
    worker: 'w',
    leaseMs: 10_000,
    execute: async () => ({ ok: true, result: previewResult(riskClass), riskClass }),
    publish: async (proposalId) =>
      void (await publishLocalReview(app.database.db, { repositoryDir, proposalId, now: new Date() })),
  });
  expect(outcome).toBe('completed');
}

const propose = async ({ app }: Setup, title: string, body = sql) =>
  (await (await app.call('POST', '/api/proposals', { body: { title, sql: body } })).json()).id as string;

beforeAll(async () => {
  profile = await mkdtemp(path.join(tmpdir(), 'sg-chromium-'));
  await mkdir(artifacts, { recursive: true });
  // A fresh profile per run: launchPersistentContext passes it as --user-data-dir.
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: flags,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
}, 60_000);

const streamPath = /^\/api\/proposals\/([^/]+)\/stream$/;

/** A server that does not stream (a buffering proxy, say): the stream is a 404 and the page refreshes instead. */
const withoutStream = async (request: Request, deps: HttpDeps) =>
  streamPath.test(new URL(request.url).pathname)
    ? errorResponse(new HttpError('not_found', 'no event stream here'), deps.log)
    : handleApi(request, deps);

/** The API with its event stream, on short timings so that a test sees changes, heartbeats and the end of a stream. */
async function startStreamingServer(deps: HttpDeps): Promise<string> {
  const timing = { pollMs: 200, heartbeatMs: 1000, lifetimeMs: 3000 };
  return startApiServer(deps, async (request, d) => {
    const stream = streamPath.exec(new URL(request.url).pathname);
    return stream
      ? proposalStreamRoute(request, d, { id: stream[1]! }, timing).catch((error) => errorResponse(error, d.log))
      : handleApi(request, d);
  });
}

afterEach(async () => {
  // Leave the page before this test's server closes: a refresh due after that would fail in the next test.
  await page.goto('about:blank');
  // Refused tokens and reviews show up as failed requests, and so does the event
  // stream where the server has none (404: the page then refreshes); anything else is a bug in the page.
  expect(consoleErrors.splice(0).filter((text) => !/status of 40[134]/.test(text))).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await Promise.all([...dirs, profile].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
});

describe('review dashboard in Chromium', () => {
  it('lists proposals, opens one with findings on its SQL lines, approves it with a reviewer token and shows the status move', async () => {
    const env = await setUp();
    const { app, base } = env;
    const id = await propose(env, 'Index order totals');
    const reviewer = await app.newReviewer('dana');

    await page.goto(`${base}/`);
    await page.fill('#token', reviewer);
    await page.click('#load');
    await page.getByRole('button', { name: /Index order totals/ }).click();
    await expect.poll(() => page.textContent('#detail-status')).toBe('received');
    // This server has no event stream: the page says it refreshes instead.
    await expect.poll(() => page.textContent('#live-mode')).toContain('Refreshing every 4 s');

    // Live update: the page follows the proposal while the preview runs.
    await preview(env, 'low');
    await expect.poll(() => page.textContent('#detail-status'), { timeout: 15_000 }).toBe('awaiting_review');

    expect(await page.locator('section[aria-labelledby="sql-heading"] p.meta').textContent()).toBe(
      '0 errors, 1 warning, 0 info',
    );
    const flagged = page.locator('ol.sql > li.flagged');
    await expect.poll(() => flagged.count()).toBe(1);
    const finding = await flagged.locator('.finding').innerText();
    expect(finding).toContain('SG101');
    expect(finding).toContain('Why: It holds a SHARE lock');
    expect(finding).toContain('Fix: create index concurrently');
    expect(await page.locator('ol.sql > li').nth(1).innerText()).toContain('create index orders_total');
    const measured = await page.locator('section[aria-labelledby="preview-heading"] tbody').innerText();
    expect(measured).toContain('ShareLock on public.orders');
    // The branch's sample beside production's own figure, read from its catalog.
    expect(measured).toContain('public.orders: 480000 rows on the branch · production unknown');
    expect(measured).toContain('public.orders: 1000 rows on the branch · production ~2400000 rows, 250.0 MB');
    const diff = await page.locator('section[aria-labelledby="diff-heading"]').innerText();
    expect(diff).toMatch(/After\s+CREATE INDEX orders_total ON public\.orders USING btree \(total\);/);
    expect(diff).toMatch(
      /nullable: true -> false\s+Before\s+alter table public\.orders add column note text;\s+After\s+alter table public\.orders add column note text not null;/,
    );
    expect(await page.textContent('#approvals-needed')).toContain('1');

    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: path.join(artifacts, 'dashboard-375.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(artifacts, 'dashboard-1280.png'), fullPage: true });

    // By keyboard: the comment, then Tab to Approve and Enter.
    await page.focus('#review-comment');
    await page.keyboard.type('Concurrent index next time, fine at this size.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-review'))).toBe('approve');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#detail-status')).toBe('approved');
    expect(await page.textContent('#approved-by')).toContain('dana');
    expect(await page.locator('[data-review]').count()).toBe(0);
    const stored = await (await app.call('GET', `/api/proposals/${id}`)).json();
    expect(stored).toMatchObject({ status: 'approved', approval: { approved_by: ['dana'], satisfied: true } });
    expect(await page.locator('#detail a').count()).toBe(0);
  });

  it('rejects only after the reviewer confirms in the browser dialog', async () => {
    const env = await setUp();
    const { app, base } = env;
    const id = await propose(env, 'Drop the archive');
    await preview(env, 'low');
    const reviewer = await app.newReviewer('erin');
    await page.goto(`${base}/#${id}`);
    await page.fill('#token', reviewer);
    await page.click('#load');
    await expect.poll(() => page.textContent('#detail-status')).toBe('awaiting_review');

    const dialogs: string[] = [];
    const answer = (accept: boolean) =>
      page.once('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void (accept ? dialog.accept() : dialog.dismiss());
      });
    answer(false);
    await page.click('[data-review="reject"]');
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toBe('confirm: Reject this proposal? It ends and cannot be promoted.');
    expect((await (await app.call('GET', `/api/proposals/${id}`)).json()).status).toBe('awaiting_review');
    expect(await page.locator('[data-review="reject"]').isEnabled()).toBe(true);

    answer(true);
    await page.fill('#review-comment', 'The archive is still read by reports.');
    await page.click('[data-review="reject"]');
    await expect.poll(() => page.textContent('#detail-status')).toBe('rejected');
    expect(dialogs).toHaveLength(2);
    const stored = await (await app.call('GET', `/api/proposals/${id}`)).json();
    expect(stored.status).toBe('rejected');
  });

  it('follows the open proposal over its event stream where the server has one', async () => {
    const env = await setUp();
    const { app } = env;
    const base = await startStreamingServer(app.deps);
    const id = await propose(env, 'Streamed');
    await page.goto(`${base}/#${id}`);
    await page.fill('#token', app.token);
    await page.click('#load');
    await expect.poll(() => page.textContent('#live-mode')).toContain('Live');
    expect(await page.textContent('#detail-status')).toBe('received');
    await preview(env, 'low');
    // While the stream is live the page does not refresh the proposal by itself: only the stream can bring this.
    await expect
      .poll(() => page.textContent('#detail-status'), { timeout: 10_000, interval: 100 })
      .toBe('awaiting_review');

    // A review made elsewhere shows up too, and the stream survives its 3 s lifetime by reconnecting.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await app.call('POST', `/api/proposals/${id}/reviews`, {
      token: await app.newReviewer('fay'),
      body: { state: 'approve' },
    });
    await expect.poll(() => page.textContent('#detail-status'), { timeout: 10_000, interval: 100 }).toBe('approved');
    expect(await page.textContent('#approved-by')).toContain('fay');
    // Leave before the server closes, or the page's reconnects fail in the next test.
    await page.goto('about:blank');
  });

  it('shows what a revision changed in the SQL before it', async () => {
    const env = await setUp();
    const { app, base } = env;
    const id = await propose(env, 'Revised', 'create table notes (id bigint primary key);\n');
    await app.call('POST', `/api/proposals/${id}/revisions`, {
      body: { sql: 'create table notes (id bigint primary key, body text not null);\n' },
    });
    await page.goto(`${base}/#${id}`);
    await page.fill('#token', app.token);
    await page.click('#load');
    const changes = page.locator('section[aria-labelledby="revision-heading"]');
    await expect.poll(() => changes.locator('h3').textContent()).toBe('Changes since revision 1');
    expect(await changes.locator('.before').allInnerTexts()).toEqual([
      '-create table notes (id bigint primary key);\n',
    ]);
    expect(await changes.locator('.after').allInnerTexts()).toEqual([
      '+create table notes (id bigint primary key, body text not null);\n',
    ]);
  });

  it('links the GitHub pull request when the proposal is reviewed there', async () => {
    const env = await setUp();
    const { app, base } = env;
    const id = await propose(env, 'Reviewed on GitHub');
    await preview(env, 'low');
    const pr = 'https://github.com/acme/shop/pull/42';
    await app.database.pool.query('update schemagate.proposals set review_url = $1 where id = $2', [pr, id]);
    await page.goto(`${base}/#${id}`);
    await page.fill('#token', app.token);
    await page.click('#load');
    const link = page.getByRole('link', { name: 'Pull request on GitHub' });
    await expect.poll(() => link.getAttribute('href')).toBe(pr);
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('shows why a forbidden proposal can never be approved, and offers no approve button', async () => {
    const env = await setUp();
    const { app, base } = env;
    const id = await propose(env, 'Grant everything', 'grant all on orders to public;\n');
    await preview(env, 'forbidden');
    await page.goto(`${base}/#${id}`);
    await page.fill('#token', await app.newReviewer('eli'));
    await page.click('#load');
    await expect.poll(() => page.textContent('#detail-status')).toBe('awaiting_review');
    expect(await page.textContent('#forbidden-why')).toContain('can never be approved');
    expect(await page.locator('#approval').innerText()).toContain('SG301: GRANT changes privileges');
    expect(await page.locator('section[aria-labelledby="preview-heading"]').innerText()).toContain(
      'Not run: guardrail findings forbid running it (SG301)',
    );
    expect(await page.locator('ol.sql .finding').innerText()).toContain('Why: Agents may never change privileges.');
    expect(await page.locator('[data-review]').count()).toBe(0);
    await page.screenshot({ path: path.join(artifacts, 'dashboard-forbidden-1280.png'), fullPage: true });
  });

  it('tells an agent token it cannot review', async () => {
    const env = await setUp();
    const { app, base } = env;
    const id = await propose(env, 'Add a note column', 'alter table orders add column note2 text;\n');
    await preview(env, 'low');
    await page.goto(`${base}/#${id}`);
    await page.fill('#token', app.token);
    await page.click('#load');
    await page.locator('[data-review="approve"]').click();
    await expect.poll(() => page.textContent('#message')).toContain('paste a reviewer token');
    expect((await (await app.call('GET', `/api/proposals/${id}`)).json()).status).toBe('awaiting_review');
  });

  it('shows hostile text from a proposal as text, never as markup', async () => {
    const env = await setUp();
    const { app, base } = env;
    const title = '<img src=x onerror="window.pwned=1">';
    const id = await propose(env, title, "comment on table orders is '<script>window.pwned=2</script>';\n");
    await preview(env, 'low');
    await page.goto(`${base}/#${id}`);
    await page.fill('#token', app.token);
    await page.click('#load');
    await expect.poll(() => page.textContent('#detail h2')).toBe(title);
    expect(await page.locator('ol.sql > li').first().innerText()).toContain('<script>window.pwned=2</script>');
    expect(await page.locator('#detail img, #detail script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('pages through proposals twenty at a time and searches them all', async () => {
    const env = await setUp();
    const { app, base } = env;
    for (let i = 1; i <= 22; i++) await propose(env, `Migration ${String(i).padStart(2, '0')}`);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/`);
    await page.fill('#token', app.token);
    await page.press('#token', 'Enter');
    const titles = () => page.locator('#proposals strong').allInnerTexts();
    await expect.poll(titles).toHaveLength(20);
    expect((await titles())[0]).toBe('Migration 22');
    await page.click('#older');
    await expect.poll(titles).toEqual(['Migration 02', 'Migration 01']);
    await page.click('#newer');
    await expect.poll(async () => (await titles()).length).toBe(20);
    await page.fill('#search', 'migration 1');
    await expect
      .poll(titles)
      .toEqual([
        'Migration 19',
        'Migration 18',
        'Migration 17',
        'Migration 16',
        'Migration 15',
        'Migration 14',
        'Migration 13',
        'Migration 12',
        'Migration 11',
        'Migration 10',
      ]);
    // The server searched: a proposal on the second page is found from the first.
    await page.fill('#search', 'Migration 01');
    await expect.poll(titles).toEqual(['Migration 01']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
