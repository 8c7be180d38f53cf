import { createHash } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check.ts';
import type { CheckResult } from '../../src/check/check-result.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { createScratchDatabase } from '../support/database.ts';
import { captureIO, fixtureRepo, m, migrations, tempDir, writeFiles } from './fixture-repo.ts';

const files = {
  '0001_init.sql': 'create table notes (id int primary key);\n',
  '0002_title.sql': 'alter table notes add column title text;\n',
  '0004_body.sql': 'alter table notes add column body text;\n',
};
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A production database with Netlify's ledger and schemagate's, as a promotion leaves them. */
async function production(applied: string[], ledger: Record<string, string>, shaType = 'text') {
  const database = await createScratchDatabase();
  await withClient(database.url, async (client) => {
    await client.query(`create schema netlify; create table netlify.migrations (name text primary key, applied_at timestamptz not null default now());
      create schema schemagate; create table schemagate.ledger (name text primary key, sha256 ${shaType} not null, proposal text, approvers text[], duration_ms int)`);
    for (const name of applied) await client.query('insert into netlify.migrations (name) values ($1)', [name]);
    for (const [name, hex] of Object.entries(ledger)) {
      await client.query(
        `insert into schemagate.ledger (name, sha256) values ($1, ${shaType === 'bytea' ? "decode($2, 'hex')" : '$2'})`,
        [name, hex],
      );
    }
  });
  return database.url;
}

async function check(dir: string, productionUrl: string, ...extra: string[]) {
  const io = captureIO(dir, { PRODUCTION_DATABASE_URL: productionUrl });
  const code = await checkCommand(['--database-url', inject('adminUrl'), '--json', ...extra], io);
  return { code, result: JSON.parse(io.out()) as CheckResult };
}

describe('schemagate check against the production ledger', () => {
  it('takes applied from netlify.migrations and verifies bytes by schemagate.ledger, without git', async () => {
    const dir = await tempDir();
    await writeFiles(dir, m(files));
    const url = await production(['0001_init', '0002_title'], {
      '0001_init': sha(files['0001_init.sql']),
      '0002_title': sha(files['0002_title.sql']),
    });
    const { code, result } = await check(dir, url);
    expect(result.problems).toEqual([]);
    expect(code).toBe(0);
    expect(result.appliedFrom).toBe('production');
    expect(result.migrations.map((x) => [x.name, x.status, x.verifiedBy])).toEqual([
      ['0001_init', 'applied', 'ledger'],
      ['0002_title', 'applied', 'ledger'],
      ['0004_body', 'new', undefined],
    ]);
    expect(result.analysis.map((a) => a.name)).toEqual(['0004_body']);
  });

  it('fails on a wrong sha256 and on an applied name missing from the repository', async () => {
    const dir = await tempDir();
    await writeFiles(dir, m(files));
    const url = await production(
      ['0001_init', '0002_title', '0003_gone'],
      { '0001_init': sha(files['0001_init.sql']), '0002_title': sha('something else') },
      'bytea',
    );
    const { code, result } = await check(dir, url);
    expect(code).toBe(1);
    expect(result.problems.map((p) => [p.code, p.file])).toEqual([
      ['applied_modified', `${migrations}/0002_title.sql`],
      ['applied_missing', `${migrations}/0003_gone.sql`],
    ]);
    expect(result.problems[0]!.message).toContain("per production's schemagate.ledger");
  });

  it('falls back to the base ref for applied migrations the ledger has no row for', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': files['0001_init.sql'] }),
      m({ '0001_init.sql': 'create table notes (id bigint primary key);\n' }),
    );
    const url = await production(['0001_init'], {});
    const { code, result } = await check(dir, url, '--base', 'main');
    expect(code).toBe(1);
    expect(result.migrations[0]).toMatchObject({ status: 'applied', verifiedBy: 'base' });
    expect(result.problems.map((p) => p.code)).toEqual(['applied_modified']);
  });

  it('exits 4 when production cannot be reached', async () => {
    const dir = await tempDir();
    const io = captureIO(dir);
    expect(
      await checkCommand(
        ['--production-url', 'postgres://postgres@127.0.0.1:1/postgres', '--database-url', inject('adminUrl')],
        io,
      ),
    ).toBe(4);
    expect(io.err()).toMatch(/production database: cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/postgres/);
  });
});
