import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/sql/analyze.ts';
import { renderGithubAnnotations } from '../../src/sql/render-github.ts';
import { renderFindingsMarkdown } from '../../src/sql/render-markdown.ts';
import { renderFindingsText } from '../../src/sql/render-text.ts';

const sql =
  'CREATE TABLE t (id bigint);\nCREATE INDEX i ON users (email);\n-- schemagate:allow SG201 replaced by t\nDROP TABLE old;';

describe('renderFindingsText', () => {
  it('prints file:line:col, severity, code, fix and a summary', () => {
    const text = renderFindingsText(analyze(sql), 'm/001.sql');
    expect(text).toContain('m/001.sql:2:19: warning SG101 CREATE INDEX on users');
    expect(text).toContain('  fix: CREATE INDEX CONCURRENTLY IF NOT EXISTS');
    expect(text).toContain(
      'm/001.sql:4:1: error SG201 DROP TABLE old deletes the table and its rows. (suppressed: replaced by t)',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('m/001.sql: 1 warning, 1 info, 1 suppressed; risk medium');
  });

  it('says when there is nothing to report', () => {
    expect(renderFindingsText(analyze('SELECT 1;'), 'a.sql')).toBe('a.sql: no findings; risk low\n');
  });
});

describe('renderFindingsMarkdown', () => {
  it('lists open findings with why, fix and the statement, and suppressed ones with their reason', () => {
    const markdown = renderFindingsMarkdown(analyze(sql));
    expect(markdown).toContain('**Risk class: medium**');
    expect(markdown).toContain('| ⚠️ | `SG101` | 2 |');
    expect(markdown).toContain('```sql\nCREATE INDEX i ON users (email)\n```');
    expect(markdown).toContain('**Why:** Takes a SHARE lock');
    expect(markdown).toContain('### Suppressed in the migration');
    expect(markdown).toContain('reason: _replaced by t_');
  });

  it('cannot be broken out of by backticks or pipes in the SQL', () => {
    const markdown = renderFindingsMarkdown(analyze("CREATE INDEX i ON users ((a || '```'));"));
    expect(markdown).toContain("````sql\nCREATE INDEX i ON users ((a || '```'))\n````");
  });
});

describe('renderGithubAnnotations', () => {
  it('emits one workflow command per open finding with positions', () => {
    const out = renderGithubAnnotations(analyze(sql), 'm/001.sql');
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^::warning file=m\/001\.sql,line=2,col=19,endLine=2,endColumn=32,title=SG101 lock::CREATE INDEX/,
    );
    expect(lines[1]).toMatch(/^::notice .*title=SG114 lock::/);
  });

  it('escapes properties and data per the workflow command rules', () => {
    const out = renderGithubAnnotations(analyze('GRANT SELECT ON t TO app;'), 'dir,x/a:b%.sql');
    expect(out).toContain('file=dir%2Cx/a%3Ab%25.sql,');
    expect(
      out
        .split('\n')
        .filter(Boolean)
        .every((line) => line.startsWith('::error ')),
    ).toBe(true);
    const multiline = renderGithubAnnotations(analyze('SELECT 1 FROM\n\nWHERE;'), 'a.sql');
    expect(multiline).not.toMatch(/\n(?!$)/);
  });
});
