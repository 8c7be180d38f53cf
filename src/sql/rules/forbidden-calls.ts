import type { Node } from 'libpg-query';
import { names, stringConstant } from '../ast-walk.ts';
import { isReservedSchema } from './reserved-schemas.ts';

/** Functions that read or write files on the database server. */
export const fileAccessFunctions: ReadonlySet<string> = new Set([
  'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file', 'pg_file_write', 'pg_file_rename',
  'pg_file_unlink', 'pg_file_sync', 'pg_logdir_ls', 'pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir',
  'pg_ls_archive_statusdir', 'pg_ls_logicalsnapdir', 'pg_ls_logicalmapdir', 'pg_ls_replslotdir',
  'pg_ls_summariesdir', 'lo_import', 'lo_export',
]);

/** Functions that act on the whole server: other sessions, configuration, WAL, replication. */
export const serverAdminFunctions: ReadonlySet<string> = new Set([
  'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_promote',
  'pg_switch_wal', 'pg_create_restore_point', 'pg_backup_start', 'pg_backup_stop',
  'pg_create_physical_replication_slot', 'pg_create_logical_replication_slot', 'pg_drop_replication_slot',
  'pg_copy_physical_replication_slot', 'pg_copy_logical_replication_slot', 'pg_replication_origin_create',
  'pg_wal_replay_pause', 'pg_wal_replay_resume', 'pg_log_backend_memory_contexts',
]);

/** Functions that execute a SQL string given as an argument. */
export const dynamicSqlFunctions: ReadonlySet<string> = new Set([
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'ts_stat',
]);

export interface CallFinding {
  code: string;
  message: string;
}

/**
 * Which guardrail a call to `name` breaks, if any. Names compare case-insensitively, so a quoted
 * "PG_READ_FILE" is flagged too even though Postgres would not resolve it to the builtin.
 *
 * @example
 * forbiddenFunction('pg_read_file')?.code; // 'SG306'
 */
export function forbiddenFunction(name: string): CallFinding | undefined {
  const lower = name.toLowerCase();
  if (fileAccessFunctions.has(lower)) return { code: 'SG306', message: `${lower}() accesses files on the database server.` };
  if (serverAdminFunctions.has(lower)) return { code: 'SG307', message: `${lower}() acts on the whole database server.` };
  if (lower.startsWith('dblink')) return { code: 'SG310', message: `${lower}() connects to another database.` };
  if (dynamicSqlFunctions.has(lower)) return { code: 'SG311', message: `${lower}() executes a SQL string.` };
  return undefined;
}

/** Guardrails broken by one FuncCall node, including set_config() of protected settings. */
export function checkFuncCall(call: { funcname?: Node[]; args?: Node[] }): CallFinding[] {
  const name = names(call.funcname).at(-1)?.toLowerCase() ?? '';
  const direct = forbiddenFunction(name);
  if (direct) return [direct];
  if (name !== 'set_config') return [];
  const setting = stringConstant(call.args?.[0])?.toLowerCase();
  if (setting === undefined) {
    return [{ code: 'SG309', message: 'set_config() with a computed setting name could change session_replication_role or role.' }];
  }
  return checkSetting(setting, [stringConstant(call.args?.[1])]);
}

/** Guardrails broken by setting `name` to `values` (SET, SET LOCAL or set_config). Undefined values are computed. */
export function checkSetting(name: string, values: Array<string | undefined>): CallFinding[] {
  if (name === 'session_replication_role') {
    return [{ code: 'SG309', message: 'Changing session_replication_role disables triggers and foreign keys.' }];
  }
  if (name === 'role' || name === 'session_authorization') {
    return [{ code: 'SG303', message: `Setting ${name} switches the identity the migration runs as.` }];
  }
  if (name === 'search_path') {
    const schemas = values.flatMap((value) => (value === undefined ? [undefined] : value.split(',').map((part) => part.trim().replaceAll('"', ''))));
    if (schemas.some((schema) => schema === undefined || isReservedSchema(schema))) {
      return [{ code: 'SG315', message: 'search_path includes a reserved schema (netlify or schemagate), or is computed.' }];
    }
  }
  return [];
}
