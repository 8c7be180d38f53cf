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

/** View options that, switched off, make a view read its tables with its owner's rights or leak rows to functions. */
const viewProtections: ReadonlySet<string> = new Set(['security_invoker', 'security_barrier']);

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
    if (triggerSwitches[subtype])
      return [
        { code: 'SG321', message: `${triggerSwitches[subtype]} switches off triggers or rules on a live table.` },
      ];
    if (rowSecuritySwitches[subtype])
      return [
        { code: 'SG322', message: `${rowSecuritySwitches[subtype]} exposes every row to whoever may read the table.` },
      ];
    const alter = (
      value.def as
        { ATAlterConstraint?: { conname?: string; alterEnforceability?: boolean; is_enforced?: boolean } } | undefined
    )?.ATAlterConstraint;
    if (subtype === 'AT_AlterConstraint' && alter?.alterEnforceability && !alter.is_enforced) {
      return [
        {
          code: 'SG321',
          message: `ALTER CONSTRAINT ${alter.conname ?? ''} NOT ENFORCED stops checking the constraint for every write from now on.`,
        },
      ];
    }
    if (subtype === 'AT_SetRelOptions' || subtype === 'AT_ResetRelOptions' || subtype === 'AT_ReplaceRelOptions') {
      return viewOptionFindings(value.def, subtype === 'AT_ResetRelOptions');
    }
  }
  if (type === 'ViewStmt') return viewOptionFindings(value.options, false);
  if (type === 'RuleStmt') {
    return [
      {
        code: 'SG321',
        message:
          'CREATE RULE rewrites every matching write to the table (DO INSTEAD can swallow it), out of sight of triggers and reviewers.',
      },
    ];
  }
  if (type === 'DropStmt' && value.removeType === 'OBJECT_POLICY') {
    return [{ code: 'SG322', message: 'Dropping a row-level security policy changes which rows others may see.' }];
  }
  if ((type === 'CreatePolicyStmt' && value.permissive === true) || type === 'AlterPolicyStmt') {
    const loose = (['qual', 'with_check'] as const).filter(
      (key) => value[key] !== undefined && !readsTheRow(value[key]),
    );
    if (loose.length > 0) {
      return [
        {
          code: 'SG322',
          message: `The policy's ${loose.map((k) => (k === 'qual' ? 'USING' : 'WITH CHECK')).join(' and ')} condition does not look at the row, so it lets every row through.`,
        },
      ];
    }
  }
  return [];
}

function viewOptionFindings(options: unknown, reset: boolean): CallFinding[] {
  const list = Array.isArray(options)
    ? options
    : ((options as { List?: { items?: unknown[] } } | undefined)?.List?.items ?? []);
  const loosened = list
    .map((item) => (item as { DefElem?: { defname?: string; arg?: unknown } }).DefElem)
    .filter(
      (option) =>
        option?.defname !== undefined &&
        viewProtections.has(option.defname.toLowerCase()) &&
        (reset || isOff(option.arg)),
    );
  return loosened.map((option) => ({
    code: 'SG322',
    message: `${reset ? 'RESET' : 'Turning off'} ${option!.defname} makes the view read its tables with its owner's rights (row-level security of the reader no longer applies) or leak rows to functions.`,
  }));
}

/** false, off, no, 0 as a reloption value. */
function isOff(arg: unknown): boolean {
  const node = arg as
    | {
        Boolean?: { boolval?: boolean };
        String?: { sval?: string };
        Integer?: { ival?: number };
        A_Const?: Record<string, unknown>;
      }
    | undefined;
  if (node?.Boolean) return node.Boolean.boolval !== true;
  if (node?.Integer) return (node.Integer.ival ?? 0) === 0;
  const text = node?.String?.sval?.toLowerCase();
  return text !== undefined && ['false', 'off', 'no', 'f', 'n', '0'].includes(text);
}

/**
 * True when a condition can tell rows apart: it mentions a column, and no branch lets a row
 * through without looking at it. An OR, a COALESCE and a CASE need every branch to (`1 = 1 OR
 * tenant_id = x`, `coalesce(tenant_id = x, true)` let every row through), an AND needs one, and
 * a comparison of an expression with itself (`tenant_id IS NOT DISTINCT FROM tenant_id`) never does.
 */
function readsTheRow(expression: unknown): boolean {
  const node = expression as Record<string, Record<string, unknown> | undefined> | undefined;
  const bool = node?.BoolExpr as { boolop?: string; args?: unknown[] } | undefined;
  if (bool?.boolop === 'OR_EXPR') return (bool.args ?? []).every(readsTheRow);
  if (bool?.boolop === 'AND_EXPR') return (bool.args ?? []).some(readsTheRow);
  if (bool?.boolop === 'NOT_EXPR') return (bool.args ?? []).every(readsTheRow);
  const coalesce = node?.CoalesceExpr as { args?: unknown[] } | undefined;
  if (coalesce) return (coalesce.args ?? []).every(readsTheRow);
  const kase = node?.CaseExpr as { args?: unknown[]; defresult?: unknown } | undefined;
  if (kase) {
    const results = (kase.args ?? []).map((when) => (when as { CaseWhen?: { result?: unknown } }).CaseWhen?.result);
    return [...results, kase.defresult].every((result) => result === undefined || readsTheRow(result));
  }
  const comparison = node?.A_Expr as { lexpr?: unknown; rexpr?: unknown } | undefined;
  if (comparison?.lexpr !== undefined && sameExpression(comparison.lexpr, comparison.rexpr)) return false;
  return mentionsAColumn(expression);
}

/** Structural equality of two expressions, ignoring where they are written. */
function sameExpression(a: unknown, b: unknown): boolean {
  const strip = (value: unknown) => JSON.stringify(value, (key, v) => (key === 'location' ? undefined : v));
  return strip(a) === strip(b);
}

function mentionsAColumn(expression: unknown): boolean {
  let found = false;
  walk(expression, ({ type }) => {
    if (type === 'ColumnRef') found = true;
  });
  return found;
}
