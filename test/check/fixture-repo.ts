import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';

const run = promisify(execFile);
export const migrations = 'netlify/database/migrations';

const created: string[] = [];
afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export async function git(dir: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: dir, env: gitEnv })).stdout;
}

/** Files by path relative to the repository; null deletes. */
export type Files = Record<string, string | null>;

/** An empty temporary directory, removed after the test file. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'schemagate-check-fixture-'));
  created.push(dir);
  return dir;
}

export async function writeFiles(dir: string, files: Files): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file);
    if (content === null) await rm(target, { recursive: true, force: true });
    else {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }
}

/**
 * A real git repository: `base` committed on `main`, then `head` applied and
 * committed on branch `feature` (checked out), as a pull request would be.
 */
export async function fixtureRepo(base: Files, head: Files = {}): Promise<string> {
  const dir = await tempDir();
  await git(dir, 'init', '-q', '-b', 'main');
  await writeFiles(dir, base);
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', 'base');
  await git(dir, 'checkout', '-q', '-b', 'feature');
  await writeFiles(dir, head);
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', 'pull request');
  return dir;
}

/** Migration files by name: `{ '0001_init.sql': sql }` -> paths under netlify/database/migrations. */
export const m = (files: Record<string, string | null>): Files =>
  Object.fromEntries(Object.entries(files).map(([name, sql]) => [`${migrations}/${name}`, sql]));

export function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env, cwd, out: () => out, err: () => err };
}
