import { describe, expect, inject, it } from 'vitest';
import type { CheckResult } from '../../src/check/check-result.ts';
import { checkCommand } from '../../src/cli/commands/check.ts';
import { captureIO, fixtureRepo, m } from '../check/fixture-repo.ts';

const init = `create table users (id bigint generated always as identity primary key, email text not null, nickname text, legacy text);
create table orders (id bigint generated always as identity primary key, user_id bigint not null references users, total numeric not null);
`;
const workload = `-- what the application sends today
select id, nickname from users where email = $1;
insert into orders (user_id, total) values ($1, $2);
select o.total from orders o join users u on u.id = o.user_id where u.email = $1;
`;

async function check(dir: string, ...extra: string[]) {
  const io = captureIO(dir);
  const code = await checkCommand(['--base', 'main', '--database-url', inject('adminUrl'), '--json', ...extra], io);
  return { code, result: JSON.parse(io.out()) as CheckResult, err: io.err() };
}

const workloadCodes = (result: CheckResult) =>
  result.analysis.flatMap((a) => a.result.findings.map((f) => f.code)).filter((code) => code.startsWith('SG5'));

describe('schemagate check --workload', () => {
  it('flags the new migrations breaking a workload query and an INSERT, in the JSON, on the last new migration', async () => {
    const dir = await fixtureRepo(
      { ...m({ '0001_init.sql': init }), 'workload.sql': workload },
      m({
        '0002_drop_nickname.sql': 'alter table users drop column nickname;\n',
        '0003_currency.sql': 'alter table orders add column currency text not null;\n',
      }),
    );
    const { code, result } = await check(dir, '--workload', 'workload.sql');
    expect(code).toBe(1);
    expect(result.workload).toMatchObject({ source: 'file', checked: 3 });
    expect(result.workload!.issues.map((i) => [i.code, i.statementId])).toEqual([
      ['SG501', 'workload.sql:2'],
      ['SG502', 'workload.sql:3'],
    ]);
    expect(result.analysis.map((a) => a.name)).toEqual(['0002_drop_nickname', '0003_currency']);
    expect(
      result.analysis[1]!.result.findings.filter((f) => f.code.startsWith('SG5')).map((f) => [
        f.code,
        f.severity,
        f.message,
      ]),
    ).toEqual([
      [
        'SG501',
        'error',
        expect.stringContaining(
          'column "nickname" does not exist (42703). Query: select id, nickname from users where email = $1',
        ),
      ],
      ['SG502', 'error', expect.stringContaining('does not set orders.currency')],
    ]);
    expect(result.analysis[1]!.result.riskClass).toBe('high');
  });

  it('stays quiet when the new migrations drop a column no workload query uses', async () => {
    const dir = await fixtureRepo(
      { ...m({ '0001_init.sql': init }), 'workload.sql': workload },
      m({ '0002_drop_legacy.sql': 'alter table users drop column legacy;\n' }),
    );
    const { result } = await check(dir, '--workload', 'workload.sql');
    expect(result.workload).toMatchObject({ source: 'file', checked: 3, issues: [] });
    expect(workloadCodes(result)).toEqual([]);
  });

  it('has no workload check without a source, and a missing file is a configuration error', async () => {
    const dir = await fixtureRepo(
      m({ '0001_init.sql': init }),
      m({ '0002_drop_legacy.sql': 'alter table users drop column legacy;\n' }),
    );
    expect((await check(dir)).result.workload).toBeUndefined();
    const io = captureIO(dir);
    expect(
      await checkCommand(
        ['--base', 'main', '--database-url', inject('adminUrl'), '--json', '--workload', 'nope.sql'],
        io,
      ),
    ).toBe(2);
    expect(JSON.parse(io.out())).toEqual({
      error: {
        code: 'configuration_error',
        message: expect.stringMatching(/^workload file .*nope\.sql cannot be read: ENOENT$/),
      },
    });
  });
});
