import { describe, expect, inject, it } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check.ts';
import type { CheckResult } from '../../src/check/check-result.ts';
import { replayMigrations } from '../../src/check/replay-migrations.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { captureIO, fixtureRepo, m, migrations } from './fixture-repo.ts';

const bigTable = 'create table big_table (id bigint primary key, x int);\n';

async function check(dir: string, ...extra: string[]) {
  const io = captureIO(dir);
  const code = await checkCommand(['--base', 'main', '--database-url', inject('adminUrl'), '--json', ...extra], io);
  return { code, result: JSON.parse(io.out()) as CheckResult };
}

const findingCodes = (result: CheckResult) => result.analysis.flatMap((a) => a.result.findings.map((f) => f.code));

describe('schemagate check: replay and analysis', () => {
  it('fails a migration that does not apply, with file, line, column and the Postgres message', async () => {
    const broken = 'create table b (id int);\n\ninsert into missing_table values (1);\n';
    const dir = await fixtureRepo(
      m({ '0001_init.sql': bigTable }),
      m({ '0002_broken.sql': broken, '0003_after.sql': 'create table c (id int);\n' }),
    );
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'apply_failed',
        file: `${migrations}/0002_broken.sql`,
        line: 3,
        column: 13,
        message: '0002_broken fails to apply (42P01): relation "missing_table" does not exist',
      }),
    ]);
    expect(result.migrations.map((x) => x.replay)).toEqual(['ok', 'failed', 'not_reached']);
    expect(result.schemaDiff).toBeNull();
  });

  it('drops its scratch database afterwards, also after a failure', async () => {
    const files = [
      { name: '0001_init', path: 'a.sql', sql: bigTable, status: 'applied' as const },
      { name: '0002_bad', path: 'b.sql', sql: 'select * from nowhere;', status: 'new' as const },
    ];
    const replay = await replayMigrations(inject('adminUrl'), files, {
      lockTimeoutMs: 1000,
      statementTimeoutMs: 10_000,
    });
    expect(replay.failure?.name).toBe('0002_bad');
    const left = await withClient(
      inject('adminUrl'),
      async (c) => (await c.query('select from pg_database where datname = $1', [replay.database])).rowCount,
    );
    expect(replay.database).toMatch(/^sg_check_[0-9a-f]{12}$/);
    expect(left).toBe(0);
  });

  it('runs new migrations without superuser rights', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': bigTable }),
      m({ '0002_escape.sql': 'alter system set work_mem = 1000;\n' }),
    );
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(result.problems[0]).toMatchObject({ code: 'apply_failed', file: `${migrations}/0002_escape.sql`, line: 1 });
  });

  it('reports a dangerous new migration, failing at the configured level', async () => {
    const index = 'create index on big_table (x);\n';
    const dir = await fixtureRepo(m({ '0001_init.sql': bigTable }), {
      ...m({ '0002_index.sql': index }),
      'strict.json': JSON.stringify({ policy: { failLevel: 'warning' } }),
    });
    const lenient = await check(dir);
    expect(findingCodes(lenient.result)).toContain('SG101');
    expect(lenient.code).toBe(0);
    expect((await check(dir, '--config', 'strict.json')).code).toBe(1);
    expect((await check(dir, '--config', 'strict.json', '--fail-level', 'error')).code).toBe(0);
    expect((await check(dir, '--fail-level', 'warning')).code).toBe(1);
  });

  it('reads the policy from schemagate.config.json in the repository', async () => {
    const dir = await fixtureRepo(m({ '0001_init.sql': bigTable }), {
      ...m({ '0002_index.sql': 'create index on big_table (x);\n' }),
      'schemagate.config.json': JSON.stringify({ policy: { rules: { SG101: 'error' } } }),
    });
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(result.analysis[0]!.result.findings.find((f) => f.code === 'SG101')?.severity).toBe('error');
  });

  it('analyses only the new migrations, and shows the schema they change', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': `${bigTable}drop table if exists nothing;\n` }),
      m({ '0002_drop.sql': 'drop table big_table;\n' }),
    );
    const { code, result } = await check(dir);
    expect(code).toBe(1);
    expect(result.analysis.map((a) => a.name)).toEqual(['0002_drop']);
    expect(findingCodes(result)).toContain('SG201');
    expect(result.schemaDiff?.changes.map((c) => `${c.kind} ${c.id}`)).toContain('removed table public.big_table');
  });

  it('replays on an embedded Postgres 18 when no server is given', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': bigTable }),
      m({ '0002_x.sql': 'alter table big_table add column y int;\n' }),
    );
    const io = captureIO(dir);
    expect(await checkCommand(['--base', 'main', '--json'], io)).toBe(0);
    const result = JSON.parse(io.out()) as CheckResult;
    expect(result.server).toBe('embedded');
    expect(result.schemaDiff?.changes.map((c) => `${c.kind} ${c.id}`)).toEqual(['added column public.big_table.y']);
    expect(io.err()).toContain('started an embedded Postgres 18');
  });
});
