import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const drizzleKit = path.join(root, 'node_modules/drizzle-kit/bin.cjs');

async function kit(args: string[]): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [drizzleKit, ...args], { cwd: root });
  return stdout + stderr;
}

it('db/schema.ts and migrations/ agree: generating from the schema adds nothing', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'sg-migrations-'));
  await cp(path.join(root, 'migrations'), out, { recursive: true });
  const before = await readdir(out, { recursive: true });
  // drizzle-kit resolves --out against the working directory, even when absolute.
  try {
    const output = await kit([
      'generate',
      '--dialect',
      'postgresql',
      '--schema',
      'db/schema.ts',
      '--out',
      path.relative(root, out),
    ]);
    expect(output).toContain('No schema changes');
    expect(await readdir(out, { recursive: true })).toEqual(before);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 60_000);

it('migrations/ passes drizzle-kit check', async () => {
  expect(await kit(['check', '--dialect', 'postgresql', '--out', 'migrations'])).toContain("Everything's fine");
}, 60_000);
