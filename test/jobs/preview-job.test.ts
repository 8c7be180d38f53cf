import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { branchProvider, previewWorkerDeps } from '../../src/jobs/runtime.ts';
import { withClient } from '../../src/database/server-admin.ts';
import type { PostgresBranchProvider } from '../../src/preview/postgres-branch-provider.ts';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';
import { createTestApp } from '../support/app.ts';
import { createScratchDatabase } from '../support/database.ts';

const dirs: string[] = [];
const providers: PostgresBranchProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.dropAll()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** The API with the real preview worker: branches of a "production" database on the test server. */
async function setUp() {
  const app = await createTestApp();
  const production = await createScratchDatabase();
  // One short connection: production must have no sessions to serve as a template.
  await withClient(production.url, (client) =>
    client.query(`
    create table users (id bigint generated always as identity primary key, email text);
    insert into users (email) select 'u' || g || '@example.com' from generate_series(1, 50) g;
    insert into users (email) values (null);`),
  );
  const repositoryDir = await mkdtemp(path.join(tmpdir(), 'sg-repo-'));
  dirs.push(repositoryDir);
  const config = {
    ...app.deps.config,
    productionUrl: production.url,
    previewServerUrl: inject('adminUrl'),
    preview: { ...app.deps.config.preview, baseMode: 'sample' as const, sampleRows: 1000 },
    review: { ...app.deps.config.review, provider: 'local' as const, repositoryDir },
  };
  app.deps.config = config;
  const provider = branchProvider(config)!;
  providers.push(provider);
  const deps = previewWorkerDeps(config, app.database.db, () => {}, provider);
  const run = async (sql: string, extra: object = {}) => {
    const res = await app.call('POST', '/api/proposals', { body: { title: 'Change users', sql, ...extra } });
    const { id } = await res.json();
    expect(await processNextPreview(deps)).toBe('completed');
    return (await app.call('GET', `/api/proposals/${id}`)).json();
  };
  return { app, production, repositoryDir, run, deps };
}

async function previewDatabases(): Promise<string[]> {
  const admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  try {
    const { rows } = await admin.query(`select datname from pg_database where datname like 'sg\\_preview\\_%'`);
    return rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

describe('preview job on a real copy of production', () => {
  it("judges size-sensitive findings by production's row estimate, not by the sampled branch", async () => {
    const { run, production } = await setUp();
    await withClient(production.url, (client) =>
      client.query(`
      create table events (id bigint primary key, kind text not null);
      insert into events select g, 'k' || (g % 7) from generate_series(1, 200000) g;
      create table notes (id bigint primary key, body text);
      insert into notes select g, 'n' from generate_series(1, 500) g;
      analyze events, notes;`),
    );

    const big = await run('create index events_kind on events (kind);');
    expect(big.preview.result.analysis.riskClass).not.toBe('low');
    const table = big.preview.result.preview.apply.statements[0].tables.find(
      (t: { table: string }) => t.table === 'public.events',
    );
    // The branch holds the 1,000-row sample; production's catalog says 200,000.
    expect(table.rows).toBeLessThanOrEqual(1000);
    expect(table.production).toMatchObject({ estimatedRows: 200000, totalBytes: expect.any(Number) });
    expect(table.production.totalBytes).toBeGreaterThan(4_000_000);
    const finding = big.preview.result.analysis.findings.find((f: { message: string }) =>
      /Production: public\.events has about 200000 rows/.test(f.message),
    );
    expect(finding).toMatchObject({ severity: 'warning' });

    const small = await run('create index notes_body on notes (body);');
    expect(small.preview.result.analysis.riskClass).toBe('low');
    expect(small.preview.result.preview.apply.statements[0].tables[0].production).toMatchObject({ estimatedRows: 500 });
  });

  it('previews a good migration: findings, measurements and the schema diff, then puts it under review', async () => {
    const { run, repositoryDir } = await setUp();
    const proposal = await run('alter table users add column age integer;', {
      down_sql: 'alter table users drop column age;',
    });
    expect(proposal.status).toBe('awaiting_review');
    const { analysis, preview } = proposal.preview.result;
    expect(proposal.preview.status).toBe('succeeded');
    expect(analysis.riskClass).toBeDefined();
    expect(preview.apply).toMatchObject({ ok: true, mode: 'transaction' });
    expect(preview.apply.statements[0].locks).toContainEqual(
      expect.objectContaining({ relation: 'public.users', mode: 'AccessExclusiveLock' }),
    );
    expect(preview.diff.changes).toContainEqual(
      expect.objectContaining({ kind: 'added', id: 'column public.users.age' }),
    );
    expect(preview.reversibility).toMatchObject({ ok: true, remaining: [] });
    expect(await readdir(path.join(repositoryDir, 'netlify/database/migrations'))).toHaveLength(1);
  });

  it('fails a migration that only the data refutes, with the Postgres error and its position', async () => {
    const { run } = await setUp();
    const proposal = await run(
      'alter table users add column age integer;\nalter table users alter column email set not null;',
    );
    expect(proposal.status).toBe('preview_failed');
    expect(proposal.preview.result.preview.apply.error).toMatchObject({ code: '23502', line: 2, statementIndex: 1 });
  });

  it('never runs forbidden SQL on a branch', async () => {
    const { run } = await setUp();
    const proposal = await run('grant all on users to public;');
    expect(proposal.status).toBe('preview_failed');
    expect(proposal.preview.result.preview).toBeNull();
    expect(proposal.preview.result.analysis.findings.map((f: { code: string }) => f.code)).toContain('SG302');
    expect(proposal.preview.result.analysis.riskClass).toBe('forbidden');
  });

  it("judges a type change against production's column types", async () => {
    const { run } = await setUp();
    const narrowing = await run('alter table users alter column id type integer;');
    const codes = narrowing.preview.result.analysis.findings.map((f: { code: string }) => f.code);
    expect(codes).toContain('SG209');
  });

  it("judges a column default by the volatility of production's own function", async () => {
    const { run, production } = await setUp();
    await withClient(production.url, (client) =>
      client.query(`
      create function public.region_default() returns text language sql immutable as $$ select 'eu' $$;
      create function public.next_ticket() returns bigint language sql volatile as $$ select 1::bigint $$;`),
    );
    const codes = (proposal: { preview: { result: { analysis: { findings: Array<{ code: string }> } } } }) =>
      proposal.preview.result.analysis.findings.map((f) => f.code);
    expect(codes(await run('alter table users add column region text default public.region_default();'))).not.toContain(
      'SG104',
    );
    expect(codes(await run('alter table users add column ticket bigint default public.next_ticket();'))).toContain(
      'SG104',
    );
  });

  it("forbids a CALL even of the proposal's own procedure: an overload production has could answer it", async () => {
    const { run, production } = await setUp();
    await withClient(production.url, (client) =>
      client.query(`create procedure public.purge_users(reason text) language sql as $$ delete from users $$;`),
    );
    const decoy = await run(
      "create procedure public.purge_users(n int) language sql as $$ select 1 $$;\ncall public.purge_users('now'::text);",
    );
    expect(decoy.status).toBe('preview_failed');
    expect(decoy.preview.result.preview).toBeNull();
    expect(decoy.preview.result.analysis.riskClass).toBe('forbidden');
    expect(decoy.preview.result.analysis.findings.map((f: { code: string }) => f.code)).toContain('SG324');
  });

  it('reports a syntax error with line and column without creating a branch', async () => {
    const { run } = await setUp();
    const proposal = await run('alter table users add column age integer;\nalter tabel users drop column email;');
    expect(proposal.status).toBe('preview_failed');
    expect(proposal.preview.result.analysis.findings[0]).toMatchObject({ code: 'SG001', span: { line: 2 } });
  });

  it('drops every preview branch it created', async () => {
    const { run } = await setUp();
    const proposal = await run('create index on users (email);');
    expect(proposal.preview.result.preview.branch.name).toMatch(/^sg_preview_/);
    expect(await previewDatabases()).not.toContain(proposal.preview.result.preview.branch.name);
  });

  it('previews 20 proposals at once, each on its own branch, and leaves no branch behind', async () => {
    const { app, deps } = await setUp();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await app.call('POST', '/api/proposals', {
        body: { title: `Column ${i}`, sql: `alter table users add column c${i} integer;` },
      });
      ids.push((await res.json()).id);
    }
    const drain = async (worker: string) => {
      while ((await processNextPreview({ ...deps, worker })) !== 'idle');
    };
    await Promise.all(['w1', 'w2', 'w3', 'w4'].map(drain));
    const proposals = await Promise.all(ids.map(async (id) => (await app.call('GET', `/api/proposals/${id}`)).json()));
    expect(proposals.map((p) => p.status)).toEqual(Array(20).fill('awaiting_review'));
    const branches = new Set(proposals.map((p) => p.preview.result.preview.branch.name));
    expect(branches.size).toBe(20);
    const left = await previewDatabases();
    for (const name of branches) expect(left).not.toContain(name);
    // Twenty branches, applies and history replays on two cores: room for a busy machine.
  }, 180_000);
});
