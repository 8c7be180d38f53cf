import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres.ts';
import { createPreviewExecutor } from '../../src/jobs/preview-executor.ts';
import {
  createPostgresBranchProvider,
  type PostgresBranchProvider,
} from '../../src/preview/postgres-branch-provider.ts';
import { runPreview } from '../../src/preview/preview.ts';
import { databaseUrl, withClient } from '../../src/database/server-admin.ts';
import { adminOnSameServer, workloadPreview } from '../../src/preview/workload-preview.ts';
import { readWorkload } from '../../src/preview/workload-source.ts';
import { renderReport } from '../../src/review/report.ts';
import { policySchema } from '../../src/sql/policy.ts';
import { orderAndUserCounts } from './preview-database.ts';

// pg_stat_statements needs shared_preload_libraries, which only a server start reads: this file runs
// its own embedded Postgres, which loads it by default (the shared test server may be one that does not).
let server: EmbeddedPostgres;
let dir: string;
let productionUrl: string;
const providers: PostgresBranchProvider[] = [];

const policy = policySchema.parse({ thresholds: { smallTableRows: 100, largeTableRows: 10_000 } });
const options = { lockTimeoutMs: 2000, statementTimeoutMs: 20_000 };
const workloadConfig = { source: 'pg_stat_statements' as const, top: 200, costFactor: 10 };

/** The migration history production was built from; pg_stat_statements was installed by the operator, outside it. */
const initSql = `create table users (id bigint generated always as identity primary key, email text not null, nickname text, legacy text);
create index users_email on users (email);
create table orders (id bigint generated always as identity primary key, user_id bigint not null, total numeric not null);
`;
const usedQuery = 'select id, nickname from users where email = $1';
const insertQuery = 'insert into orders (user_id, total) values ($1, $2)';
const lookupQuery = 'select id from users where email = $1';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sg-workload-pg-'));
  server = await startEmbeddedPostgres({ dir, ephemeral: true });
  await withClient(server.url, (c) => c.query('create database production'));
  productionUrl = databaseUrl(server.url, 'production');
  await withClient(productionUrl, async (c) => {
    await c.query(`
      create extension pg_stat_statements;
      ${initSql}
      insert into users (email, nickname) select 'u' || g || '@x', 'n' || g from generate_series(1, 20000) g;
      analyze;
      select pg_stat_statements_reset();`);
    // The running application: parameterized queries over the extended protocol, as drivers send them.
    for (let i = 0; i < 30; i++) await c.query(usedQuery, [`u${i}@x`]);
    for (let i = 0; i < 20; i++) await c.query(lookupQuery, [`u${i}@x`]);
    for (let i = 0; i < 10; i++) await c.query(insertQuery, [i + 1, 9.5]);
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(providers.map((p) => p.dropAll().catch(() => {})));
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function provider(): PostgresBranchProvider {
  const created = createPostgresBranchProvider({ productionUrl, previewServerUrl: server.url, baseMode: 'full' });
  providers.push(created);
  return created;
}

/** A provider that counts the branches it creates: the preview's own, and the twin when plans are compared. */
function counting(): { provider: PostgresBranchProvider; created: string[] } {
  const inner = provider();
  const created: string[] = [];
  return { provider: { ...inner, create: (name) => (created.push(name), inner.create(name)) }, created };
}

const preview = (name: string, sql: string, on: PostgresBranchProvider = provider()) =>
  runPreview({
    provider: on,
    branchName: name,
    sql,
    options,
    workload: workloadPreview(productionUrl, workloadConfig, policy)!,
  });

describe('workload check on a preview, queries from pg_stat_statements', () => {
  it('runs on an embedded Postgres that loads pg_stat_statements by default', async () => {
    const loaded = await withClient(
      server.url,
      async (c) => (await c.query('show shared_preload_libraries')).rows[0].shared_preload_libraries,
    );
    expect(loaded).toBe('pg_stat_statements');
  });

  it('reads the application queries, most called first, without utility or catalog statements', async () => {
    const workload = await readWorkload(productionUrl, { source: 'auto', top: 200 });
    expect(workload.source).toBe('pg_stat_statements');
    const queries = workload.statements.map((s) => s.query);
    expect(queries.slice(0, 3)).toEqual([usedQuery, lookupQuery, insertQuery]);
    expect(workload.statements[0]!.calls).toBe(30);
    expect(
      queries.some(
        (q) => /^(create|analyze|alter)/i.test(q) || q.includes('pg_catalog') || q.includes('pg_stat_statements'),
      ),
    ).toBe(false);
    const top1 = await readWorkload(productionUrl, { source: 'auto', top: 1 });
    expect(top1.statements.map((s) => s.query)).toEqual([usedQuery]);
  });

  it("says when the connection cannot see other roles' statements, and reads them with the preview server's admin rights where production lives on it", async () => {
    await withClient(server.url, (c) => c.query(`create role sg_stats_reader login password 'reader-pw'`));
    const readerUrl = databaseUrl(server.url, 'production', { user: 'sg_stats_reader', password: 'reader-pw' });
    const hidden = await readWorkload(readerUrl, { source: 'pg_stat_statements', top: 200 });
    expect(hidden).toMatchObject({
      source: 'none',
      statements: [],
      note: expect.stringMatching(
        /^pg_stat_statements holds no application query \(\d+ calls of other roles' statements are hidden from this connection: read pg_stat_statements as a role with pg_read_all_stats\)$/,
      ),
    });
    expect(adminOnSameServer(readerUrl, server.url)).toBe(productionUrl);
    expect(adminOnSameServer(readerUrl, 'postgres://admin@elsewhere:5432/postgres')).toBeUndefined();
    const viaAdmin = await workloadPreview(readerUrl, workloadConfig, policy, server.url)!.read();
    expect(viaAdmin.statements.map((s) => s.query).slice(0, 3)).toEqual([usedQuery, lookupQuery, insertQuery]);
    await withClient(server.url, (c) => c.query('drop role sg_stats_reader'));
  });

  it('flags dropping a column a production query uses as breaking, with the query, through the preview job into the report', async () => {
    const execute = createPreviewExecutor({
      provider: provider(),
      policy,
      history: async () => undefined,
      workload: workloadPreview(productionUrl, workloadConfig, policy)!,
    });
    const run = await execute({
      proposalId: 'p1',
      revision: 1,
      branchName: 'drop_used_r1',
      sql: 'create table audit (id int);\nalter table users drop column nickname;\n',
      downSql: null,
    });
    const result = run.result as {
      analysis: {
        findings: Array<{
          code: string;
          severity: string;
          message: string;
          statementIndex: number | null;
          span: { line: number };
        }>;
        riskClass: string;
      };
      preview: { compatibility: { checked: number; issues: unknown[] }; steps: Array<{ name: string; ok: boolean }> };
    };
    expect(result.preview.steps.find((s) => s.name === 'compatibility')).toMatchObject({ ok: true });
    expect(result.preview.compatibility.issues).toEqual([
      expect.objectContaining({ code: 'SG501', query: usedQuery, object: 'nickname', calls: 30 }),
    ]);
    const finding = result.analysis.findings.find((f) => f.code === 'SG501');
    // On the statement that locked the table the query reads: the DROP COLUMN, line 2.
    expect(finding).toMatchObject({
      severity: 'error',
      statementIndex: 1,
      span: { line: 2 },
      message: expect.stringContaining(`column "nickname" does not exist (42703)`),
    });
    expect(finding!.message).toContain(`Query: ${usedQuery}`);
    expect(run.riskClass).toBe('high');
    const report = renderReport({
      proposal: {
        id: 'p1',
        title: 'Drop nickname',
        description: null,
        agent: 'a',
        revision: 1,
        sha256: 'x'.repeat(64),
        migrationPath: 'm.sql',
      },
      result: run.result as never,
    });
    expect(report).toContain('`SG501`');
    expect(report).toContain(usedQuery);
    expect(report).toMatch(
      /#### Production queries\n\nPrepared \d+ production queries from pg_stat_statements \(most called first\) on the migrated branch and on a copy from before the migration, without running them \(\d+\.\d ms of planning per query\): \*\*1 breaking\*\*, 0 slower plans/,
    );
  });

  it('does not flag dropping a column no production query uses, and the extension it reads is no drift from the history', async () => {
    const history = [{ name: '0001_init', sql: initSql }];
    const { provider: on, created } = counting();
    const result = await runPreview({
      provider: on,
      branchName: 'drop_unused_r1',
      sql: 'alter table users drop column legacy;',
      options,
      history,
      emptyServerUrl: server.url,
      workload: workloadPreview(productionUrl, workloadConfig, policy)!,
    });
    expect(result.replay).toMatchObject({ ok: true, drift: [] });
    // Cheap plans, no failure, INSERTs that set every required column: nothing to compare, so no twin branch.
    expect(created).toEqual(['drop_unused_r1']);
    expect(result.compatibility!.checked).toBeGreaterThanOrEqual(3);
    expect(result.compatibility!.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('flags a new required column the production INSERT does not set', async () => {
    const result = await preview(
      'required_r1',
      `alter table orders add column currency text not null default 'EUR';\nalter table orders alter column currency drop default;`,
    );
    expect(result.compatibility!.issues).toEqual([
      expect.objectContaining({ code: 'SG502', query: insertQuery, object: 'orders.currency' }),
    ]);
  });

  it('warns when dropping an index turns a production lookup on a large table into a sequential scan', async () => {
    const { provider: on, created } = counting();
    const result = await preview('drop_index_r1', 'drop index users_email;', on);
    expect(created).toEqual(['drop_index_r1', 'sg_preview_drop_index_r1_before']);
    const codes = result.compatibility!.issues.map((i) => [i.code, i.query]);
    expect(codes).toContainEqual(['SG504', lookupQuery]);
    expect(codes.every(([code]) => code === 'SG504')).toBe(true);
    // The twin branch the plans were compared on is gone.
    const left = await withClient(
      server.url,
      async (c) =>
        (await c.query<{ datname: string }>(`select datname from pg_database where datname like 'sg_preview_%'`)).rows,
    );
    expect(left).toEqual([]);
  });

  it('never runs what it checks: production and its statistics are unchanged by previews', async () => {
    const counts = await orderAndUserCounts(productionUrl);
    expect(counts).toEqual({ orders: 10, users: 20000 });
    const calls = await withClient(
      productionUrl,
      async (c) =>
        (
          await c.query<{ calls: string }>(
            `select calls::text from pg_stat_statements where query = $1 and dbid = (select oid from pg_database where datname = current_database())`,
            [insertQuery],
          )
        ).rows,
    );
    expect(calls).toEqual([{ calls: '10' }]);
  });
});
