import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpUsage as mcpCommandUsage } from '../../src/cli/commands/mcp.ts';
import { mcpUsage, productionUsage } from '../../src/cli/usage.ts';
import { defaultMigratorRole } from '../../src/promote/production-role.ts';
import { projectRoot } from '../../src/server/serve.ts';

// What a command loads is read from the process itself (a load hook records every
// module), not inferred from timings: a static import added to main.ts, or a
// heavy package pulled into the rules, shows up here by name.
const tracer = path.join(projectRoot, 'test', 'support', 'module-trace.mjs');
const bin = path.join(projectRoot, 'bin', 'schemagate.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sg-graph-'));
  await writeFile(path.join(dir, 'one.sql'), 'create table notes (id bigint primary key);\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function modulesOf(args: string[]): Promise<{ status: number | null; modules: string[] }> {
  const trace = path.join(dir, `trace-${args[0]}.txt`);
  const run = spawnSync(process.execPath, ['--import', tracer, bin, ...args], {
    cwd: dir,
    env: { ...process.env, SCHEMAGATE_MODULE_TRACE: trace },
    encoding: 'utf8',
  });
  return { status: run.status, modules: (await readFile(trace, 'utf8')).split('\n') };
}

// The server, GitHub, MCP and the Netlify emulation: none of it is needed to read SQL.
const heavy = [
  /node_modules\/@octokit\//,
  /node_modules\/@modelcontextprotocol\//,
  /node_modules\/@netlify\//,
  /node_modules\/(@hono\/node-server|hono)\//,
  /node_modules\/drizzle-orm\//,
  /\/src\/(server|mcp|agents|proposals|jobs|queue|promote)\//,
  /\/src\/review\/github/,
  /\/src\/http\/(?!version\.ts$)/,
];
const offenders = (modules: string[]) => modules.filter((m) => heavy.some((h) => h.test(m)));

describe('the CLI loads only what a command needs', () => {
  it('--help loads no command at all', async () => {
    const { status, modules } = await modulesOf(['--help']);
    expect(status).toBe(0);
    expect(offenders(modules)).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/'))).toEqual([]);
    expect(modules.filter((m) => /\/src\/cli\/commands\//.test(m))).toEqual([]);
  });

  it('--help reads four of its own modules: main, io, usage and version (each one more file to strip of its types)', async () => {
    const { status, modules } = await modulesOf(['--help']);
    expect(status).toBe(0);
    const own = modules
      .filter((m) => m.startsWith(`file://${projectRoot}`) && !m.includes('/node_modules/') && !m.includes('/bin/'))
      .map((m) =>
        m
          .slice(`file://${projectRoot}`.length)
          .replace(/^\/?(src|dist)\//, '')
          .replace(/\.(ts|js)$/, ''),
      )
      .sort();
    expect(own).toEqual(['cli/io', 'cli/main', 'cli/usage', 'http/version']);
  });

  it('lint of a file loads the parser and rules, not the server, Octokit, MCP or @netlify', async () => {
    const { status, modules } = await modulesOf(['lint', 'one.sql']);
    expect(status).toBe(0);
    expect(modules.some((m) => m.includes('/node_modules/libpg-query/'))).toBe(true);
    expect(offenders(modules)).toEqual([]);
  });

  it('check loads its replay and rules, not the server, Octokit, MCP or @netlify', async () => {
    // --help parses after every static import of the command: its whole graph, without a database.
    const { status, modules } = await modulesOf(['check', '--help']);
    expect(status).toBe(0);
    expect(modules.some((m) => m.includes('/src/check/run-check.ts'))).toBe(true);
    expect(offenders(modules)).toEqual([]);
  });

  it('the usage text of mcp, kept beside the others so --help needs no MCP SDK, matches the command', () => {
    expect(mcpUsage).toBe(mcpCommandUsage);
    expect(productionUsage).toContain(`(default ${defaultMigratorRole})`);
  });
});
