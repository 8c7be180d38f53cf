import type { Node } from 'libpg-query';
import { defElems, names, stringConstant, unwrap, walk, type Visit } from '../ast-walk.ts';
import type { Policy } from '../policy.ts';
import { neverAllowedExtensions } from '../policy.ts';
import type { StatementRules } from './context.ts';
import { checkFuncCall, checkSetting, type CallFinding } from './forbidden-calls.ts';
import { reservedSchemaReferences } from './reserved-schemas.ts';
import { dollarQuote, inspectPlpgsql, inspectSqlBody } from './routine-bodies.ts';

/** Statement kinds that always break a guardrail, with the code they break. */
const forbiddenKinds: Record<string, [string, string]> = {
  CreateRoleStmt: ['SG301', 'CREATE ROLE / USER / GROUP'],
  AlterRoleStmt: ['SG301', 'ALTER ROLE / USER / GROUP'],
  AlterRoleSetStmt: ['SG301', 'ALTER ROLE ... SET'],
  DropRoleStmt: ['SG301', 'DROP ROLE / USER / GROUP'],
  ReassignOwnedStmt: ['SG301', 'REASSIGN OWNED'],
  DropOwnedStmt: ['SG301', 'DROP OWNED'],
  GrantStmt: ['SG302', 'GRANT / REVOKE'],
  GrantRoleStmt: ['SG302', 'GRANT / REVOKE of role membership'],
  AlterDefaultPrivilegesStmt: ['SG302', 'ALTER DEFAULT PRIVILEGES'],
  AlterOwnerStmt: ['SG302', 'ALTER ... OWNER TO'],
  AlterSystemStmt: ['SG304', 'ALTER SYSTEM'],
  CreateForeignServerStmt: ['SG310', 'CREATE SERVER'],
  AlterForeignServerStmt: ['SG310', 'ALTER SERVER'],
  CreateFdwStmt: ['SG310', 'CREATE FOREIGN DATA WRAPPER'],
  AlterFdwStmt: ['SG310', 'ALTER FOREIGN DATA WRAPPER'],
  CreateUserMappingStmt: ['SG310', 'CREATE USER MAPPING'],
  AlterUserMappingStmt: ['SG310', 'ALTER USER MAPPING'],
  ImportForeignSchemaStmt: ['SG310', 'IMPORT FOREIGN SCHEMA'],
  CreateForeignTableStmt: ['SG310', 'CREATE FOREIGN TABLE'],
  CreateSubscriptionStmt: ['SG310', 'CREATE SUBSCRIPTION'],
  AlterSubscriptionStmt: ['SG310', 'ALTER SUBSCRIPTION'],
  CreatePublicationStmt: ['SG310', 'CREATE PUBLICATION'],
  AlterPublicationStmt: ['SG310', 'ALTER PUBLICATION'],
  CreatePLangStmt: ['SG312', 'CREATE LANGUAGE'],
  LoadStmt: ['SG312', 'LOAD'],
  TransactionStmt: ['SG313', 'Transaction control'],
  CreatedbStmt: ['SG314', 'CREATE DATABASE'],
  AlterDatabaseStmt: ['SG314', 'ALTER DATABASE'],
  AlterDatabaseSetStmt: ['SG314', 'ALTER DATABASE ... SET'],
  AlterDatabaseRefreshCollStmt: ['SG314', 'ALTER DATABASE ... REFRESH COLLATION VERSION'],
  DropdbStmt: ['SG314', 'DROP DATABASE'],
  CreateTableSpaceStmt: ['SG314', 'CREATE TABLESPACE'],
  DropTableSpaceStmt: ['SG314', 'DROP TABLESPACE'],
  AlterTableSpaceOptionsStmt: ['SG314', 'ALTER TABLESPACE'],
  CreateEventTrigStmt: ['SG314', 'CREATE EVENT TRIGGER'],
  AlterEventTrigStmt: ['SG314', 'ALTER EVENT TRIGGER'],
};

const externalExtensions = new Set(['dblink', 'postgres_fdw', 'file_fdw']);
// CREATE LANGUAGE without a handler is parsed as CREATE EXTENSION.
const untrustedLanguages = new Set(['plperlu', 'plpython3u', 'plpythonu', 'pltclu', 'plsh', 'plv8u']);
const verifiableLanguages = new Set(['sql', 'plpgsql']);
// Function bodies can define functions whose bodies define functions; stop somewhere sane.
const maxDepth = 8;

interface Guard {
  policy: Policy;
  depth: number;
  /** Where a nested finding was found, e.g. "in the body of function f". */
  where: string | undefined;
  report: (finding: CallFinding, location?: number) => void;
}

/** Agent guardrails: walk the whole statement, every expression and every routine body in it. */
export const checkGuardrails: StatementRules = (node, { policy, report, statement }) => {
  guard(node, statement.sql, { policy, depth: 0, where: undefined, report: (f, location) => report(f.code, f.message, location) });
};

function guard(node: Node, sql: string, g: Guard): void {
  walk(node, (visit) => {
    for (const finding of visitFindings(visit, g.policy)) {
      g.report(finding, typeof visit.value.location === 'number' ? visit.value.location : undefined);
    }
    if (visit.type === 'CreateFunctionStmt' || visit.type === 'DoStmt') guardRoutine(visit, sql, g);
  });
}

function visitFindings({ type, value, field }: Visit, policy: Policy): CallFinding[] {
  const findings: CallFinding[] = [];
  const forbidden = type ? forbiddenKinds[type] : undefined;
  if (forbidden) findings.push({ code: forbidden[0], message: `${forbidden[1]} is not allowed in an agent migration.` });
  if (type === 'RenameStmt' && value.renameType === 'OBJECT_ROLE') findings.push({ code: 'SG301', message: 'Renaming a role is not allowed.' });
  if (type === 'AlterTableCmd' && value.subtype === 'AT_ChangeOwner') findings.push({ code: 'SG302', message: 'ALTER TABLE ... OWNER TO changes privileges.' });
  if (type === 'CreateSchemaStmt' && value.authrole !== undefined) findings.push({ code: 'SG302', message: 'CREATE SCHEMA ... AUTHORIZATION gives the schema to another role.' });
  if (type === 'CopyStmt' && (value.filename !== undefined || value.is_program)) {
    findings.push({ code: 'SG305', message: value.is_program ? 'COPY ... PROGRAM runs a shell command on the server.' : `COPY ${value.is_from ? 'FROM' : 'TO'} a server file accesses the server's file system.` });
  }
  if (type === 'FuncCall') findings.push(...checkFuncCall(value));
  if (type === 'VariableSetStmt' && typeof value.name === 'string' && value.kind !== 'VAR_RESET' && value.kind !== 'VAR_RESET_ALL') {
    const args = Array.isArray(value.args) ? (value.args as Node[]) : [];
    findings.push(...checkSetting(value.name.toLowerCase(), args.map(stringConstant)));
  }
  if (type === 'CreateExtensionStmt') findings.push(...checkExtension(value, policy));
  for (const schema of reservedSchemaReferences({ type, value, field })) {
    findings.push({ code: 'SG315', message: `References the reserved schema ${schema}.` });
  }
  return findings;
}

function checkExtension(value: Record<string, unknown>, policy: Policy): CallFinding[] {
  const name = String(value.extname ?? '');
  if (externalExtensions.has(name.toLowerCase())) return [{ code: 'SG310', message: `Extension ${name} connects to other databases or files.` }];
  if (untrustedLanguages.has(name.toLowerCase())) return [{ code: 'SG312', message: `${name} is an untrusted language.` }];
  const findings: CallFinding[] = [];
  if (neverAllowedExtensions.has(name) || !policy.extensions.includes(name)) {
    findings.push({ code: 'SG308', message: `Extension ${name} is not in the policy's allowlist (${policy.extensions.join(', ')}).` });
  }
  if (defElems(value.options as Node[]).has('cascade')) {
    findings.push({ code: 'SG308', message: `CREATE EXTENSION ${name} CASCADE may install extensions outside the allowlist.` });
  }
  return findings;
}

function guardRoutine({ type, value }: Visit, sql: string, g: Guard): void {
  const options = defElems((type === 'DoStmt' ? value.args : value.options) as Node[]);
  const isDo = type === 'DoStmt';
  const name = isDo ? 'DO block' : `function ${names(value.funcname).join('.')}`;
  const language = (stringConstant(options.get('language') as Node) ?? (isDo ? 'plpgsql' : 'sql')).toLowerCase();
  if (!verifiableLanguages.has(language)) {
    g.report({ code: 'SG312', message: `The ${name} is written in ${language}, which schemagate cannot inspect.` });
    return;
  }
  const as = options.get('as') as Node | undefined;
  const body = stringConstant(as) ?? stringConstant(unwrap<{ items?: Node[] }>(as, 'List')?.items?.[0]);
  if (body === undefined || g.depth >= maxDepth) return;
  const nested: Guard = {
    ...g,
    depth: g.depth + 1,
    where: g.where ?? `in the body of the ${name}`,
    // Locations inside a body are relative to the body string; point at the statement instead.
    report: g.where ? g.report : (finding) => g.report({ code: finding.code, message: `${finding.message} (in the body of the ${name})` }),
  };
  if (language === 'sql') {
    for (const statement of inspectSqlBody(body)) guard(statement.node, statement.sql, nested);
    return;
  }
  const createSql = isDo ? `CREATE FUNCTION schemagate_do_block() RETURNS void LANGUAGE plpgsql AS ${dollarQuote(body)}` : sql;
  const inspection = inspectPlpgsql(createSql, body, !isDo);
  for (const finding of inspection.findings) nested.report(finding);
  for (const statement of inspection.statements) guard(statement.node, statement.sql, nested);
}
