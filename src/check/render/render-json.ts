import type { CheckResult } from '../check-result.ts';

/**
 * The result as JSON for scripts. Schema changes keep kind, object type, id
 * and their one-line details; the full catalog objects stay out.
 *
 * @example
 * const parsed = JSON.parse(renderCheckJson(result)); // parsed.problems[0].code === 'duplicate_prefix'
 */
export function renderCheckJson(result: CheckResult): string {
  const schemaDiff = result.schemaDiff && {
    changes: result.schemaDiff.changes.map(({ kind, objectType, id, details }) => ({
      kind,
      objectType,
      id,
      ...(details ? { details } : {}),
    })),
  };
  return `${JSON.stringify({ ...result, schemaDiff }, null, 2)}\n`;
}
