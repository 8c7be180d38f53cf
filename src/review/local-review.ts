import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { auditEvents, proposalRevisions, proposals } from '../../db/schema.ts';
import type { Db } from '../database/connection.ts';
import { AppError } from '../errors.ts';
import { migrationsDir, nextMigrationFileName, parseMigrationPath } from './migration-files.ts';

/**
 * Local review, for the embedded default and teams without GitHub: the
 * proposal's SQL is written, byte for byte, into the repository's
 * migrations directory, and reviews approve its sha256.
 *
 * @example
 * const { migrationPath } = await publishLocalReview(db, { repositoryDir: '.', proposalId, now: new Date() });
 */
export async function publishLocalReview(
  db: Db,
  input: { repositoryDir: string; proposalId: string; now: Date },
): Promise<{ migrationPath: string; pinnedSha: string }> {
  const [row] = await db
    .select({ name: proposals.name, migrationPath: proposals.migrationPath, sql: proposalRevisions.sql, sha256: proposalRevisions.sha256 })
    .from(proposals)
    .innerJoin(proposalRevisions, and(eq(proposalRevisions.proposalId, proposals.id), eq(proposalRevisions.number, proposals.currentRevision)))
    .where(eq(proposals.id, input.proposalId));
  if (!row) throw new AppError('not_found', `no proposal with id ${input.proposalId}`);

  const dir = path.join(input.repositoryDir, migrationsDir);
  await mkdir(dir, { recursive: true });
  // A revision rewrites the same file: it has not been applied anywhere yet.
  const migrationPath = row.migrationPath ?? path.posix.join(migrationsDir, nextMigrationFileName(input.now, row.name, await existingOrders(dir)));
  await writeFile(path.join(input.repositoryDir, migrationPath), row.sql);

  await db.transaction(async (tx) => {
    await tx
      .update(proposals)
      .set({ migrationPath, pinnedSha: row.sha256, reviewUrl: `/api/proposals/${input.proposalId}`, updatedAt: sql`now()` })
      .where(eq(proposals.id, input.proposalId));
    await tx.insert(auditEvents).values({
      proposalId: input.proposalId,
      type: 'review.published',
      actor: 'schemagate',
      data: { provider: 'local', migration_path: migrationPath, sha256: row.sha256 },
    });
  });
  return { migrationPath, pinnedSha: row.sha256 };
}

async function existingOrders(dir: string): Promise<Set<string>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const orders = new Set<string>();
  for (const entry of entries) {
    const parsed = parseMigrationPath(entry.isDirectory() ? `${entry.name}/migration.sql` : entry.name);
    if (parsed) orders.add(parsed.order);
  }
  return orders;
}
