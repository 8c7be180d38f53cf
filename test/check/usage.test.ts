import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check.ts';
import { captureIO, fixtureRepo, m } from './fixture-repo.ts';

describe('schemagate check usage errors', () => {
  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /Unexpected argument 'extra'|does not take positional arguments/],
    [['--format', 'xml'], /--format must be one of text, json, markdown, junit, github/],
    [['--fail-level', 'fatal'], /--fail-level must be one of/],
    [['--report', 'pdf=x.pdf'], /--report takes <format>=<file>/],
    [['--dir', 'does-not-exist'], /--dir \S*does-not-exist is not a directory/],
    [['--base', 'no-such-branch'], /--base "no-such-branch" names no commit/],
    [['--base=--output=x'], /--base "--output=x" is not a git ref/],
    [['--config', 'missing.json'], /cannot read config/],
    [['--config', 'invalid.json'], /policy\.failLevel/],
  ])('exits 2 on %j', async (args, message) => {
    const dir = await fixtureRepo({
      ...m({ '0001_init.sql': 'create table t (id int);\n' }),
      'invalid.json': JSON.stringify({ policy: { failLevel: 'loud' } }),
    });
    const io = captureIO(dir);
    expect(await checkCommand(args, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.out()).toBe('');
  });

  it('exits 2 with a JSON error under --json', async () => {
    const dir = await fixtureRepo({});
    const io = captureIO(dir);
    expect(await checkCommand(['--json', '--base', 'nope'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'configuration_error' } });
  });

  it('prints help', async () => {
    const io = captureIO(process.cwd());
    expect(await checkCommand(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: schemagate check');
  });
});
