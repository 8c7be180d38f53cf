import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { lintCommand } from '../../src/cli/commands/lint.ts';

let dir: string;

function capture(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    env: {},
    cwd: dir,
    out: () => out,
    err: () => err,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'schemagate-lint-'));
  await writeFile(
    join(dir, 'clean.sql'),
    'CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);\n',
  );
  await writeFile(join(dir, 'warn.sql'), 'CREATE INDEX i ON users (email);\n');
  await writeFile(join(dir, 'bad.sql'), 'DROP TABLE users;\n');
  await writeFile(join(dir, 'broken.sql'), 'SELECT FROM WHERE;\n');
  await writeFile(join(dir, 'strict.json'), JSON.stringify({ policy: { failLevel: 'warning' } }));
  await writeFile(
    join(dir, 'invalid.json'),
    JSON.stringify({ policy: { rules: { SG302: 'off' }, failLevel: 'loud' } }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('schemagate lint', () => {
  it('exits 0 on a clean file', async () => {
    const io = capture();
    expect(await lintCommand(['clean.sql'], io)).toBe(0);
    expect(io.out()).toContain('clean.sql: no findings; risk low');
  });

  it('exits 0 when findings stay below the fail level, 1 at or above it', async () => {
    expect(await lintCommand(['warn.sql'], capture())).toBe(0);
    expect(await lintCommand(['warn.sql', '--fail-level', 'warning'], capture())).toBe(1);
    expect(await lintCommand(['bad.sql'], capture())).toBe(1);
    expect(await lintCommand(['broken.sql'], capture())).toBe(1);
  });

  it('takes the fail level from the config policy, and the flag over it', async () => {
    expect(await lintCommand(['warn.sql', '--config', 'strict.json'], capture())).toBe(1);
    expect(await lintCommand(['warn.sql', '--config', 'strict.json', '--fail-level', 'error'], capture())).toBe(0);
  });

  it('reads schemagate.config.json in the working directory when no --config is given', async () => {
    const project = await mkdtemp(join(tmpdir(), 'schemagate-lint-project-'));
    await writeFile(join(project, 'warn.sql'), 'CREATE INDEX i ON users (email);\n');
    await writeFile(join(project, 'schemagate.config.json'), JSON.stringify({ policy: { failLevel: 'warning' } }));
    expect(await lintCommand(['warn.sql'], { ...capture(), cwd: project })).toBe(1);
    await rm(project, { recursive: true, force: true });
  });

  it('prints JSON with every file', async () => {
    const io = capture();
    expect(await lintCommand(['clean.sql', 'bad.sql', '--json'], io)).toBe(1);
    const parsed = JSON.parse(io.out());
    expect(parsed.failLevel).toBe('error');
    expect(parsed.files.map((f: { file: string; riskClass: string }) => [f.file, f.riskClass])).toEqual([
      ['clean.sql', 'low'],
      ['bad.sql', 'high'],
    ]);
    expect(parsed.files[1].findings.find((f: { code: string }) => f.code === 'SG201')).toMatchObject({
      code: 'SG201',
      span: { line: 1, column: 1 },
    });
  });

  it('prints GitHub annotations', async () => {
    const io = capture();
    await lintCommand(['--format', 'github', 'bad.sql'], io);
    expect(io.out()).toMatch(
      /^::error file=bad\.sql,line=1,col=1,endLine=1,endColumn=17,title=SG201 destructive::DROP TABLE users/m,
    );
  });

  it.each([
    [['--bogus', 'clean.sql'], /Unknown option '--bogus'/],
    [[], /no migration files given/],
    [['missing.sql'], /cannot read missing\.sql: ENOENT/],
    [['clean.sql', '--format', 'xml'], /--format must be one of/],
    [['clean.sql', '--fail-level', 'fatal'], /--fail-level must be one of/],
    [['clean.sql', '--config', 'invalid.json'], /policy\.rules\.SG302[\s\S]*policy\.failLevel/],
    [['clean.sql', '--config', 'nope.json'], /cannot read config/],
  ])('exits 2 on usage error %j', async (args, message) => {
    const io = capture();
    expect(await lintCommand(args, io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('prints help', async () => {
    const io = capture();
    expect(await lintCommand(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: schemagate lint');
  });
});
