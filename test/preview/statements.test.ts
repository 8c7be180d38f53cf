import { describe, expect, it } from 'vitest';
import { lineColumn, splitStatements } from '../../src/preview/statements.ts';

describe('splitStatements', () => {
  it('locates each statement in the file and keeps its text', async () => {
    const sql = '-- add users\ncreate table users (id int);\n\n  insert into users values (1);\nselect 1';
    const split = await splitStatements(sql);
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect(split.statements.map((s) => [s.line, s.column, s.text])).toEqual([
      [2, 1, 'create table users (id int)'],
      [4, 3, 'insert into users values (1)'],
      [5, 1, 'select 1'],
    ]);
    for (const s of split.statements) expect(sql.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
  });

  it('maps byte offsets of the parser to characters after non-ASCII text', async () => {
    const sql = "comment on table t is 'café ☕';\ncreate table u (a int);";
    const split = await splitStatements(sql);
    if (!split.ok) throw new Error(split.message);
    expect(split.statements[1]!.text).toBe('create table u (a int)');
    expect(split.statements[1]!.line).toBe(2);
  });

  it('flags the statements Postgres refuses inside a transaction block', async () => {
    const sql = [
      'create index concurrently i on t (a)',
      'create index j on t (a)',
      'drop index concurrently i',
      'reindex (concurrently) table t',
      'reindex table t',
      'alter table p detach partition c concurrently',
      'alter table p detach partition c',
      'vacuum t',
      'analyze t',
      "alter type mood add value 'meh'",
      'alter system set work_mem = 1',
    ].join(';\n');
    const split = await splitStatements(sql);
    if (!split.ok) throw new Error(split.message);
    expect(split.statements.map((s) => s.transactional)).toEqual([
      false,
      true,
      false,
      false,
      true,
      false,
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it('marks transaction control', async () => {
    const split = await splitStatements('begin; create table t (a int); commit;');
    if (!split.ok) throw new Error(split.message);
    expect(split.statements.map((s) => s.transactionControl)).toEqual([true, false, true]);
  });

  it('reports a syntax error with line and column', async () => {
    const split = await splitStatements('create table t (a int);\nselec 1;');
    expect(split).toMatchObject({ ok: false, line: 2, column: 1, message: 'syntax error at or near "selec"' });
  });

  it('computes 1-based line and column', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab', 0)).toEqual({ line: 1, column: 1 });
  });
});
