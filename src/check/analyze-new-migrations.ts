import type { SchemaModel } from '../schema/model.ts';
import { analyze } from '../sql/analyze.ts';
import type { Policy } from '../sql/policy.ts';
import type { FileAnalysis } from './check-result.ts';
import { columnTypes } from '../schema/column-types.ts';

/**
 * Runs the rule catalog on each new migration. With the schema the new
 * migrations start from, type changes are judged against the real column
 * types (widening is safe, narrowing rewrites the table).
 *
 * @example
 * const analysis = analyzeNewMigrations([{ name: '0002_idx', path, sql: 'create index i on t (x);' }], policy);
 * analysis[0].result.findings[0].code; // 'SG101'
 */
export function analyzeNewMigrations(
  files: Array<{ name: string; path: string; sql: string }>,
  policy: Policy,
  before?: SchemaModel,
): FileAnalysis[] {
  const existingColumns = before ? columnTypes(before) : undefined;
  return files.map((file) => ({
    name: file.name,
    file: file.path,
    result: analyze(file.sql, policy, existingColumns ? { existingColumns } : {}),
  }));
}
