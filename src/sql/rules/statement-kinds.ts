import type { RuleCode } from '../catalog.ts';
import type { CallFinding } from './finding.ts';

/** Statement kinds that always break a guardrail, with the code they break. */
const forbiddenKinds: Record<string, [RuleCode, string]> = {
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
  DropUserMappingStmt: ['SG310', 'DROP USER MAPPING'],
  ImportForeignSchemaStmt: ['SG310', 'IMPORT FOREIGN SCHEMA'],
  CreateForeignTableStmt: ['SG310', 'CREATE FOREIGN TABLE'],
  CreateSubscriptionStmt: ['SG310', 'CREATE SUBSCRIPTION'],
  AlterSubscriptionStmt: ['SG310', 'ALTER SUBSCRIPTION'],
  DropSubscriptionStmt: ['SG310', 'DROP SUBSCRIPTION'],
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
  AlterTableMoveAllStmt: ['SG314', 'ALTER TABLE ALL IN TABLESPACE'],
  CreateEventTrigStmt: ['SG314', 'CREATE EVENT TRIGGER'],
  AlterEventTrigStmt: ['SG314', 'ALTER EVENT TRIGGER'],
  SecLabelStmt: ['SG323', 'SECURITY LABEL'],
};

/**
 * Every statement kind the analyzer knows how to check. Anything else, including kinds a newer
 * parser adds, is forbidden rather than guessed at. Kinds listed here still go through every rule.
 */
const verifiableKinds: ReadonlySet<string> = new Set([
  'RawStmt',
  'SelectStmt',
  'SetOperationStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'ReturnStmt',
  'PLAssignStmt',
  'CreateSchemaStmt',
  'CreateStmt',
  'AlterTableStmt',
  'ReplicaIdentityStmt',
  'AlterCollationStmt',
  'AlterDomainStmt',
  'CopyStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'CreateExtensionStmt',
  'AlterExtensionStmt',
  'CreatePolicyStmt',
  'AlterPolicyStmt',
  'CreateTrigStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'DefineStmt',
  'CreateDomainStmt',
  'DropStmt',
  'TruncateStmt',
  'CommentStmt',
  'DeclareCursorStmt',
  'ClosePortalStmt',
  'FetchStmt',
  'IndexStmt',
  'CreateStatsStmt',
  'AlterStatsStmt',
  'CreateFunctionStmt',
  'AlterFunctionStmt',
  'DoStmt',
  'CallStmt',
  'RenameStmt',
  'AlterObjectSchemaStmt',
  'AlterOperatorStmt',
  'RuleStmt',
  'NotifyStmt',
  'ListenStmt',
  'UnlistenStmt',
  'CompositeTypeStmt',
  'CreateEnumStmt',
  'CreateRangeStmt',
  'AlterEnumStmt',
  'ViewStmt',
  'ClusterStmt',
  'VacuumStmt',
  'ExplainStmt',
  'CreateTableAsStmt',
  'RefreshMatViewStmt',
  'LockStmt',
  'ConstraintsSetStmt',
  'ReindexStmt',
  'CreateCastStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
  'AlterTSDictionaryStmt',
  'AlterTSConfigurationStmt',
  'DiscardStmt',
]);

/** DROP, COMMENT and RENAME targets that live outside the application's schemas. */
const serverObjectTypes: Record<string, [RuleCode, string]> = {
  OBJECT_ROLE: ['SG301', 'a role'],
  OBJECT_DATABASE: ['SG314', 'a database'],
  OBJECT_TABLESPACE: ['SG314', 'a tablespace'],
  OBJECT_EVENT_TRIGGER: ['SG314', 'an event trigger'],
  OBJECT_FOREIGN_SERVER: ['SG310', 'a foreign server'],
  OBJECT_FDW: ['SG310', 'a foreign data wrapper'],
  OBJECT_USER_MAPPING: ['SG310', 'a user mapping'],
  OBJECT_PUBLICATION: ['SG310', 'a publication'],
  OBJECT_SUBSCRIPTION: ['SG310', 'a subscription'],
  OBJECT_LANGUAGE: ['SG312', 'a procedural language'],
  OBJECT_ACCESS_METHOD: ['SG327', 'an access method'],
  OBJECT_OPCLASS: ['SG327', 'an operator class'],
  OBJECT_OPFAMILY: ['SG327', 'an operator family'],
  OBJECT_TRANSFORM: ['SG327', 'a transform'],
  OBJECT_CONVERSION: ['SG327', 'a conversion'],
  OBJECT_TSPARSER: ['SG327', 'a text search parser'],
  OBJECT_TSTEMPLATE: ['SG327', 'a text search template'],
};

/** Definitions (CREATE TYPE / OPERATOR / AGGREGATE ...) only a superuser may create. */
const superuserDefinitions: ReadonlySet<string> = new Set(['OBJECT_TSPARSER', 'OBJECT_TSTEMPLATE']);

/**
 * Guardrails broken by the kind of a statement (at any depth: top level, CTE, routine body).
 *
 * @example
 * statementKindFindings('GrantStmt', {})[0]?.code; // 'SG302'
 */
export function statementKindFindings(type: string, value: Record<string, unknown>): CallFinding[] {
  const forbidden = forbiddenKinds[type];
  if (forbidden) return [{ code: forbidden[0], message: `${forbidden[1]} is not allowed in an agent migration.` }];
  if (type.endsWith('Stmt') && !verifiableKinds.has(type)) {
    return [
      { code: 'SG327', message: `${type.replace(/Stmt$/, '')} statements are outside what schemagate can verify.` },
    ];
  }
  const objectType = (
    type === 'DropStmt'
      ? value.removeType
      : type === 'RenameStmt'
        ? value.renameType
        : type === 'CommentStmt'
          ? value.objtype
          : undefined
  ) as string | undefined;
  const server = objectType ? serverObjectTypes[objectType] : undefined;
  if (server) {
    const code = type === 'CommentStmt' && ['SG301', 'SG314'].includes(server[0]) ? 'SG323' : server[0];
    return [{ code, message: `${type.replace(/Stmt$/, '')} of ${server[1]} acts outside the application's schemas.` }];
  }
  if (type === 'DefineStmt') return defineFindings(value);
  if (type === 'ReindexStmt' && (value.kind === 'REINDEX_OBJECT_SYSTEM' || value.kind === 'REINDEX_OBJECT_DATABASE')) {
    return [{ code: 'SG327', message: "REINDEX SYSTEM / DATABASE works on the server's catalogs and every table." }];
  }
  if (type === 'DiscardStmt' && value.target === 'DISCARD_ALL') {
    return [{ code: 'SG325', message: 'DISCARD ALL resets the settings schemagate pins for the apply session.' }];
  }
  if (type === 'CreateCastStmt' && value.func === undefined && value.inout !== true) {
    return [
      {
        code: 'SG327',
        message: 'CREATE CAST ... WITHOUT FUNCTION reinterprets bytes of one type as another (superuser only).',
      },
    ];
  }
  return [];
}

function defineFindings(value: Record<string, unknown>): CallFinding[] {
  const kind = String(value.kind ?? '');
  if (superuserDefinitions.has(kind))
    return [
      {
        code: 'SG327',
        message: `CREATE ${kind.replace('OBJECT_', '').replace('TS', 'TEXT SEARCH ')} is reserved to superusers.`,
      },
    ];
  // A base type (CREATE TYPE t (INPUT = ..., OUTPUT = ...)) runs C functions; a shell type (no definition) is harmless.
  if (kind === 'OBJECT_TYPE' && Array.isArray(value.definition) && value.definition.length > 0) {
    return [
      { code: 'SG327', message: 'CREATE TYPE with INPUT / OUTPUT functions defines a base type (superuser only).' },
    ];
  }
  return [];
}
