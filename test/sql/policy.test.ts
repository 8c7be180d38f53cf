import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPolicy, loadPolicyFile, PolicyError, policySchema } from '../../src/sql/policy.ts';

describe('policySchema', () => {
  it('fills every default', () => {
    expect(defaultPolicy).toMatchObject({
      approvals: { low: { approvals: 1 }, medium: { approvals: 1 }, high: { approvals: 2 } },
      timeouts: { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 },
      thresholds: { smallTableRows: 10_000, largeTableRows: 1_000_000 },
      failLevel: 'error',
      rules: {},
    });
    expect(defaultPolicy.extensions).toEqual(expect.arrayContaining(['pgcrypto', 'uuid-ossp', 'vector', 'postgis']));
  });

  it('keeps configured values next to defaults', () => {
    const policy = policySchema.parse({
      approvals: { high: { approvals: 3, reviewers: ['octocat', 'acme/dba-team'] } },
      rules: { SG404: 'off' },
    });
    expect(policy.approvals.high).toEqual({ approvals: 3, reviewers: ['octocat', 'acme/dba-team'] });
    expect(policy.approvals.low).toEqual({ approvals: 1 });
    expect(policy.rules).toEqual({ SG404: 'off' });
  });

  it('reports every problem at once', () => {
    const result = policySchema.safeParse({
      approvals: {
        forbidden: { approvals: 1 },
        low: { approvals: 0 },
        medium: { approvals: 1, reviewers: ['not a login!'] },
      },
      extensions: ['pgcrypto', 'dblink'],
      rules: { SG301: 'off', SG999: 'warning', SG101: 'loud' },
      timeouts: { lockTimeoutMs: -1, extra: 1 },
      thresholds: { smallTableRows: 5, largeTableRows: 2 },
      failLevel: 'fatal',
      surprise: true,
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'approvals.forbidden',
        'approvals.low.approvals',
        'approvals.medium.reviewers.0',
        'extensions.1',
        'rules.SG301',
        'rules.SG101',
        'timeouts.lockTimeoutMs',
        'thresholds.smallTableRows',
        'failLevel',
      ]),
    );
    const messages = result.error!.issues.map((issue) => issue.message).join('\n');
    expect(messages).toContain('SG999');
    expect(messages).toContain('surprise');
    expect(messages).toContain('extra');
  });
});

describe('loadPolicyFile', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const write = async (content: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'schemagate-policy-'));
    dirs.push(dir);
    const path = join(dir, 'schemagate.config.json');
    await writeFile(path, content);
    return path;
  };

  it('reads only the policy key', async () => {
    const path = await write(JSON.stringify({ database: { url: 'ignored' }, policy: { failLevel: 'warning' } }));
    expect((await loadPolicyFile(path)).failLevel).toBe('warning');
  });

  it('uses defaults when there is no policy key', async () => {
    expect(await loadPolicyFile(await write('{}'))).toEqual(defaultPolicy);
  });

  it('lists every issue in one error', async () => {
    const path = await write(JSON.stringify({ policy: { rules: { SG302: 'info' }, failLevel: 'nope' } }));
    const error = await loadPolicyFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).issues).toHaveLength(2);
    expect((error as PolicyError).message).toContain('policy.rules.SG302');
    expect((error as PolicyError).message).toContain('policy.failLevel');
  });

  it('explains unreadable and malformed files', async () => {
    await expect(loadPolicyFile('/nonexistent/schemagate.config.json')).rejects.toThrow(/cannot read config/);
    await expect(loadPolicyFile(await write('{ nope'))).rejects.toThrow(/not valid JSON/);
  });
});
