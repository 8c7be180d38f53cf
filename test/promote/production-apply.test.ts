import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/preview/statements.ts';
import { withClient } from '../../src/database/server-admin.ts';
import { defaultLockRetry } from '../../src/promote/lock-retry.ts';
import { applyToProduction } from '../../src/promote/production-apply.ts';
import { ensureProductionLedger, findLedgerEntry } from '../../src/promote/production-ledger.ts';
import { createScratchDatabase } from '../support/database.ts';

const timeouts = { lockTimeoutMs: 1000, statementTimeoutMs: 10_000 };

async function applyDisguised(sql: string) {
  const db = await createScratchDatabase();
  await db.pool.query('create table victim (id int)');
  // A production whose default reads backslashes in strings the old way.
  await db.pool.query(`alter database ${pg.escapeIdentifier(db.name)} set standard_conforming_strings = off`);
  const split = await splitStatements(sql);
  if (!split.ok) throw new Error(split.message);
  return withClient(db.url, async (client) => {
    await ensureProductionLedger(client);
    const result = await applyToProduction(client, {
      sql,
      statements: split.statements,
      ledger: {
        name: '20260101000000_disguised',
        sha256: 'a'.repeat(64),
        proposalId: '00000000-0000-0000-0000-000000000000',
        revision: 1,
        approvers: ['dana'],
      },
      timeouts,
      retry: defaultLockRetry,
    });
    const victim = (await client.query(`select to_regclass('public.victim')::text as t`)).rows[0].t as string | null;
    return { result, victim, ledger: await findLedgerEntry(client, '20260101000000_disguised') };
  });
}

describe('applyToProduction runs exactly what was analysed', () => {
  // Under standard_conforming_strings = off the server would read a DROP TABLE where the
  // analyzer read one SELECT of two string literals.
  it('in one transaction: pins tokenization, so the statement stays one SELECT', async () => {
    const { result, victim, ledger } = await applyDisguised("SELECT 'a\\', '; DROP TABLE victim; -- ';");
    expect(result).toMatchObject({ ok: true, mode: 'transaction' });
    expect(victim).toBe('victim');
    expect(ledger?.sha256).toBe('a'.repeat(64));
  });

  it('step by step: pins tokenization for every step', async () => {
    const { result, victim } = await applyDisguised(
      "CREATE INDEX CONCURRENTLY victim_id ON victim (id);\nSELECT 'a\\', '; DROP TABLE victim; -- ';",
    );
    expect(result).toMatchObject({ ok: true, mode: 'steps' });
    expect(victim).toBe('victim');
  });
});
