import { walk, type Visit } from '../ast-walk.ts';
import type { CallFinding } from './finding.ts';

const triggerSwitches: Record<string, string> = {
  AT_DisableTrig: 'DISABLE TRIGGER',
  AT_DisableTrigAll: 'DISABLE TRIGGER ALL',
  AT_DisableTrigUser: 'DISABLE TRIGGER USER',
  AT_EnableReplicaTrig: 'ENABLE REPLICA TRIGGER',
  AT_EnableAlwaysTrig: 'ENABLE ALWAYS TRIGGER',
  AT_DisableRule: 'DISABLE RULE',
  AT_EnableReplicaRule: 'ENABLE REPLICA RULE',
  AT_EnableAlwaysRule: 'ENABLE ALWAYS RULE',
};

const rowSecuritySwitches: Record<string, string> = {
  AT_DisableRowSecurity: 'DISABLE ROW LEVEL SECURITY',
  AT_NoForceRowSecurity: 'NO FORCE ROW LEVEL SECURITY',
};

/**
 * Findings for statements that switch off protections on a live table: triggers and rules,
 * row-level security, and policies that let every row through.
 *
 * @example
 * protectionFindings(visitOf('ALTER TABLE t DISABLE TRIGGER ALL')); // [{ code: 'SG321', ... }]
 */
export function protectionFindings({ type, value }: Visit): CallFinding[] {
  if (type === 'AlterTableCmd') {
    const subtype = String(value.subtype ?? '');
    if (triggerSwitches[subtype]) return [{ code: 'SG321', message: `${triggerSwitches[subtype]} switches off triggers or rules on a live table.` }];
    if (rowSecuritySwitches[subtype]) return [{ code: 'SG322', message: `${rowSecuritySwitches[subtype]} exposes every row to whoever may read the table.` }];
  }
  if (type === 'DropStmt' && value.removeType === 'OBJECT_POLICY') {
    return [{ code: 'SG322', message: 'Dropping a row-level security policy changes which rows others may see.' }];
  }
  if ((type === 'CreatePolicyStmt' && value.permissive === true) || type === 'AlterPolicyStmt') {
    const loose = (['qual', 'with_check'] as const).filter((key) => value[key] !== undefined && !readsTheRow(value[key]));
    if (loose.length > 0) {
      return [{ code: 'SG322', message: `The policy's ${loose.map((k) => (k === 'qual' ? 'USING' : 'WITH CHECK')).join(' and ')} condition does not look at the row, so it lets every row through.` }];
    }
  }
  return [];
}

/** True when an expression refers to at least one column (a condition that can tell rows apart). */
function readsTheRow(expression: unknown): boolean {
  let found = false;
  walk(expression, ({ type }) => {
    if (type === 'ColumnRef') found = true;
  });
  return found;
}
