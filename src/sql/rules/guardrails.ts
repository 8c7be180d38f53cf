import type { Node } from 'libpg-query';
import { defElems, names, stringConstant, unwrap, walk, type Visit } from '../ast-walk.ts';
import type { Policy } from '../policy.ts';
import { neverAllowedExtensions } from '../policy.ts';
import { hiddenSettings } from './catalog-privileges.ts';
import type { StatementRules } from './context.ts';
import type { CallFinding } from './finding.ts';
import { checkFuncCall } from './forbidden-calls.ts';
import { protectionFindings } from './protections.ts';
import { reservedSchemaReferences } from './reserved-schemas.ts';
import { inspectPlpgsql, inspectSqlBody } from './routine-bodies.ts';
import { routineFindings } from './routines.ts';
import { checkSetting } from './settings.ts';
import { statementKindFindings } from './statement-kinds.ts';
import { systemObjectFindings } from './system-objects.ts';

const externalExtensions = new Set(['dblink', 'postgres_fdw', 'file_fdw']);
// CREATE LANGUAGE without a handler is parsed as CREATE EXTENSION.
const untrustedLanguages = new Set(['plperlu', 'plpython3u', 'plpythonu', 'pltclu', 'plsh', 'plv8u']);
const verifiableLanguages = new Set(['sql', 'plpgsql']);
// Routine bodies can define routines whose bodies define routines; deeper than this is forbidden, not skipped.
export const maxRoutineDepth = 8;

interface Guard {
  policy: Policy;
  depth: number;
  /** Where a nested finding was found, e.g. "in the body of function f". */
  where: string | undefined;
  report: (finding: CallFinding, location?: number) => void;
}

/** Agent guardrails: walk the whole statement, every expression and every routine body in it. */
export const checkGuardrails: StatementRules = (node, { policy, report, statement }) => {
  guard(node, statement.sql, {
    policy,
    depth: 0,
    where: undefined,
    report: (f, location) => report(f.code, f.message, location),
  });
};

function guard(node: Node, sql: string, g: Guard): void {
  walk(node, (visit) => {
    for (const finding of visitFindings(visit, g)) {
      g.report(finding, typeof visit.value.location === 'number' ? visit.value.location : undefined);
    }
    if (visit.type === 'CreateFunctionStmt' || visit.type === 'DoStmt') guardRoutine(visit, sql, g);
  });
}

function visitFindings(visit: Visit, g: Guard): CallFinding[] {
  const { type, value, field } = visit;
  const findings: CallFinding[] = [];
  if (type) findings.push(...statementKindFindings(type, value));
  if (type === 'AlterTableCmd' && value.subtype === 'AT_ChangeOwner')
    findings.push({ code: 'SG302', message: 'ALTER TABLE ... OWNER TO changes privileges.' });
  if (type === 'CreateSchemaStmt' && value.authrole !== undefined)
    findings.push({ code: 'SG302', message: 'CREATE SCHEMA ... AUTHORIZATION gives the schema to another role.' });
  if (type === 'CopyStmt' && (value.filename !== undefined || value.is_program)) {
    findings.push({
      code: 'SG305',
      message: value.is_program
        ? 'COPY ... PROGRAM runs a shell command on the server.'
        : `COPY ${value.is_from ? 'FROM' : 'TO'} a server file accesses the server's file system.`,
    });
  }
  if (type === 'FuncCall') findings.push(...checkFuncCall(value, g.policy.timeouts));
  if (type === 'VariableShowStmt' && typeof value.name === 'string' && hiddenSettings.has(value.name.toLowerCase())) {
    findings.push({ code: 'SG318', message: `SHOW ${value.name} reads a setting only superusers may read.` });
  }
  if (type === 'VariableSetStmt')
    findings.push(...settingFindings(value, field === 'arg' ? 'routine' : 'session', g.policy));
  if (type === 'CreateExtensionStmt') findings.push(...checkExtension(String(value.extname ?? ''), value, g.policy));
  if (type === 'AlterExtensionStmt') findings.push(...checkExtension(String(value.extname ?? ''), {}, g.policy));
  findings.push(...systemObjectFindings(visit), ...protectionFindings(visit), ...routineFindings(visit, g.policy));
  for (const schema of reservedSchemaReferences(visit)) {
    findings.push({ code: 'SG315', message: `References the reserved schema ${schema}.` });
  }
  return findings;
}

/** SET, SET LOCAL, RESET and RESET ALL in the session, or a routine's SET clause. */
function settingFindings(value: Record<string, unknown>, scope: 'session' | 'routine', policy: Policy): CallFinding[] {
  if (value.kind === 'VAR_RESET_ALL') {
    // ALTER FUNCTION ... RESET ALL is judged with the ALTER FUNCTION statement.
    return scope === 'session'
      ? [
          {
            code: 'SG325',
            message: 'RESET ALL restores every setting, including those schemagate pins for the apply session.',
          },
        ]
      : [];
  }
  if (typeof value.name !== 'string') return [];
  // RESET ROLE / SESSION AUTHORIZATION returns to the login role: the role schemagate connected as.
  if (value.kind === 'VAR_RESET' && ['role', 'session_authorization'].includes(value.name.toLowerCase())) return [];
  const args = Array.isArray(value.args) ? (value.args as Node[]) : [];
  return checkSetting(value.name.toLowerCase(), args.map(settingValue), {
    scope,
    timeouts: policy.timeouts,
    fromCurrent: value.kind === 'VAR_SET_CURRENT',
    reset: value.kind === 'VAR_RESET' || value.kind === 'VAR_SET_DEFAULT',
  });
}

/** A SET value as text: strings, identifiers and numbers (`SET lock_timeout = 2000`). */
function settingValue(node: Node): string | undefined {
  const constant = (node as { A_Const?: { ival?: { ival?: number }; fval?: { fval?: string } } }).A_Const;
  if (constant?.ival) return String(constant.ival.ival ?? 0);
  if (constant?.fval) return String(constant.fval.fval);
  return stringConstant(node);
}

function checkExtension(name: string, value: Record<string, unknown>, policy: Policy): CallFinding[] {
  if (externalExtensions.has(name.toLowerCase()))
    return [{ code: 'SG310', message: `Extension ${name} connects to other databases or files.` }];
  if (untrustedLanguages.has(name.toLowerCase()))
    return [{ code: 'SG312', message: `${name} is an untrusted language.` }];
  const findings: CallFinding[] = [];
  if (neverAllowedExtensions.has(name) || !policy.extensions.includes(name)) {
    findings.push({
      code: 'SG308',
      message: `Extension ${name} is not in the policy's allowlist (${policy.extensions.join(', ')}).`,
    });
  }
  if (defElems(value.options as Node[]).has('cascade')) {
    findings.push({
      code: 'SG308',
      message: `CREATE EXTENSION ${name} CASCADE may install extensions outside the allowlist.`,
    });
  }
  return findings;
}

function guardRoutine({ type, value }: Visit, sql: string, g: Guard): void {
  const isDo = type === 'DoStmt';
  const options = defElems((isDo ? value.args : value.options) as Node[]);
  const name = isDo
    ? 'DO block'
    : `${value.is_procedure ? 'procedure' : 'function'} ${names(value.funcname).join('.')}`;
  const language = (stringConstant(options.get('language') as Node) ?? (isDo ? 'plpgsql' : 'sql')).toLowerCase();
  if (!verifiableLanguages.has(language)) {
    g.report({ code: 'SG312', message: `The ${name} is written in ${language}, which schemagate cannot inspect.` });
    return;
  }
  if (options.has('support'))
    g.report({ code: 'SG327', message: `The ${name} names a planner SUPPORT function (superuser only).` });
  const as = options.get('as') as Node | undefined;
  const items = unwrap<{ items?: Node[] }>(as, 'List')?.items;
  const body = stringConstant(as) ?? stringConstant(items?.[0]);
  if (body === undefined) {
    // SQL routines with BEGIN ATOMIC keep their body in the tree (sql_body), which the walk already covers.
    if (value.sql_body === undefined)
      g.report({ code: 'SG316', message: `The ${name} has no body the analyzer can read.` });
    return;
  }
  if ((items?.length ?? 0) > 1) {
    g.report({
      code: 'SG316',
      message: `The ${name} gives a second AS item (an object file symbol), which only C functions use.`,
    });
    return;
  }
  if (g.depth >= maxRoutineDepth) {
    g.report({
      code: 'SG316',
      message: `The ${name} is nested more than ${maxRoutineDepth} routine bodies deep; the analyzer does not read that far, so it is forbidden.`,
    });
    return;
  }
  const nested: Guard = {
    ...g,
    depth: g.depth + 1,
    where: g.where ?? `in the body of the ${name}`,
    // Locations inside a body are relative to the body string; point at the statement instead.
    report: g.where
      ? g.report
      : (finding) => g.report({ code: finding.code, message: `${finding.message} (in the body of the ${name})` }),
  };
  if (language === 'sql') {
    const statements = inspectSqlBody(body);
    if (!statements) {
      nested.report({ code: 'SG316', message: 'The SQL body does not parse, so its statements cannot be checked.' });
      return;
    }
    for (const statement of statements) guard(statement.node, statement.sql, nested);
    return;
  }
  const inspection = inspectPlpgsql({ createSql: isDo ? undefined : sql, node: isDo ? undefined : value, body });
  for (const finding of inspection.findings) nested.report(finding);
  for (const statement of inspection.statements) guard(statement.node, statement.sql, nested);
}
