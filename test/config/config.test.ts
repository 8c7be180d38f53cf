import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function dirWith(config: unknown): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sg-config-'));
  dirs.push(dir);
  await writeFile(
    path.join(dir, 'schemagate.config.json'),
    typeof config === 'string' ? config : JSON.stringify(config),
  );
  return dir;
}

describe('loadConfig', () => {
  it('has defaults for the embedded set-up', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(config).toMatchObject({
      databaseUrl: undefined,
      port: 8888,
      dataDir: '/srv/app/.schemagate',
      limits: { maxSqlBytes: 1024 * 1024, rateLimit: { requests: 120, windowSeconds: 60 } },
    });
  });

  it('reads the file and lets the environment win', async () => {
    const cwd = await dirWith({ limits: { maxSqlBytes: 4096, rateLimit: { requests: 5 } } });
    const config = loadConfig({ env: { SCHEMAGATE_RATE_LIMIT_REQUESTS: '9', PORT: '9000' }, cwd });
    expect(config.limits).toMatchObject({ maxSqlBytes: 4096, rateLimit: { requests: 9, windowSeconds: 60 } });
    expect(config.port).toBe(9000);
  });

  it('lists every problem at once', async () => {
    const cwd = await dirWith({ limits: { maxSqlBytes: 'big', colour: 'red' }, extra: 1 });
    let message = '';
    try {
      loadConfig({ env: { PORT: '99999', DATABASE_URL: 'mysql://x' }, cwd });
    } catch (error) {
      expect(error).toMatchObject({ code: 'configuration_error' });
      message = (error as Error).message;
    }
    for (const part of ['env PORT', 'env DATABASE_URL', 'limits.maxSqlBytes', 'colour', 'extra'])
      expect(message).toContain(part);
  });

  it('reports a config file that is not JSON', async () => {
    const cwd = await dirWith('{ nope');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/schemagate.config.json: not valid JSON/);
  });

  it('requires an explicitly named config file to exist', () => {
    expect(() => loadConfig({ env: { SCHEMAGATE_CONFIG: 'missing.json' }, cwd: '/tmp' })).toThrow(
      /missing.json does not exist/,
    );
  });
});
