import type { Node } from 'libpg-query';
import { names, stringConstant, textConstant } from '../ast-walk.ts';
import { hiddenSettings, privilegedFunctions } from './catalog-privileges.ts';
import { isReservedSchema } from './reserved-schemas.ts';
import { isSecretRelation } from './system-objects.ts';
import type { CallFinding } from './finding.ts';
import { checkSetting, type TimeoutLimits } from './settings.ts';

/** Functions that read or write files on the database server. */
export const fileAccessFunctions: ReadonlySet<string> = new Set([
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'pg_file_sync',
  'pg_logdir_ls',
  'pg_ls_logdir',
  'pg_ls_waldir',
  'pg_ls_tmpdir',
  'pg_ls_archive_statusdir',
  'pg_ls_logicalsnapdir',
  'pg_ls_logicalmapdir',
  'pg_ls_replslotdir',
  'pg_ls_summariesdir',
  'lo_import',
  'lo_export',
]);

/**
 * Functions that act on the whole server: other sessions, configuration, WAL, replication. Most
 * check privileges inside rather than through EXECUTE grants, so the catalog does not list them.
 */
export const serverAdminFunctions: ReadonlySet<string> = new Set([
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_promote',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_create_physical_replication_slot',
  'pg_create_logical_replication_slot',
  'pg_drop_replication_slot',
  'pg_copy_physical_replication_slot',
  'pg_copy_logical_replication_slot',
  'pg_replication_origin_create',
  'pg_wal_replay_pause',
  'pg_wal_replay_resume',
  'pg_log_backend_memory_contexts',
  'pg_replication_slot_advance',
  'pg_logical_slot_get_changes',
  'pg_logical_slot_peek_changes',
  'pg_logical_slot_get_binary_changes',
  'pg_logical_slot_peek_binary_changes',
  'pg_logical_emit_message',
  'pg_sync_replication_slots',
  'pg_nextoid',
  'pg_stop_making_pinned_objects',
  'pg_import_system_collations',
  'pg_signal_backend',
]);

/** Functions that run a SQL query given to them as text. */
export const dynamicSqlFunctions: ReadonlySet<string> = new Set([
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'ts_stat',
  'crosstab',
  'crosstab2',
  'crosstab3',
  'crosstab4',
  'connectby',
  'xpath_table',
]);

/** Large objects: a superuser reads and writes every owner's, whatever their ACLs. */
const largeObjectFunctions: ReadonlySet<string> = new Set([
  'lo_get',
  'lo_open',
  'loread',
  'lowrite',
  'lo_put',
  'lo_unlink',
  'lo_truncate',
  'lo_truncate64',
  'lo_lseek',
  'lo_lseek64',
  'lo_tell',
  'lo_tell64',
  'lo_close',
  'lo_creat',
  'lo_create',
  'lo_from_bytea',
]);

/** Functions that read every table of a database or schema through SPI. */
const bulkReadFunctions: ReadonlySet<string> = new Set([
  'database_to_xml',
  'database_to_xmlschema',
  'database_to_xml_and_xmlschema',
  'schema_to_xml',
  'schema_to_xmlschema',
  'schema_to_xml_and_xmlschema',
]);

/** Functions that read the table their first argument names. */
const tableReadFunctions: ReadonlySet<string> = new Set([
  'table_to_xml',
  'table_to_xmlschema',
  'table_to_xml_and_xmlschema',
]);

/** Functions that show other sessions' SQL text, which carries passwords and tokens. */
const sessionTextFunctions: ReadonlySet<string> = new Set([
  'pg_stat_get_activity',
  'pg_stat_statements',
  'pg_stat_get_backend_activity',
]);

/** Advisory locks: schemagate's promotion lock lives in the same session as the migration. */
const advisoryLockFunctions: ReadonlySet<string> = new Set([
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_advisory_unlock',
  'pg_advisory_unlock_shared',
  'pg_advisory_unlock_all',
  'pg_advisory_xact_lock',
  'pg_advisory_xact_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_try_advisory_xact_lock',
  'pg_try_advisory_xact_lock_shared',
]);

/** Functions that take a relation by name as text ('netlify.migrations' is a reference, not a string). */
const relationNameFunctions: ReadonlySet<string> = new Set([
  'nextval',
  'setval',
  'currval',
  'to_regclass',
  'pg_get_serial_sequence',
  'pg_relation_size',
  'pg_total_relation_size',
  'pg_table_size',
  'pg_indexes_size',
  'table_to_xml',
  'table_to_xmlschema',
  'table_to_xml_and_xmlschema',
]);

/** Functions that turn a name or OID into a function or operator reference. */
const functionLookups: ReadonlySet<string> = new Set([
  'to_regproc',
  'to_regprocedure',
  'to_regoper',
  'to_regoperator',
  'regprocin',
  'regprocedurein',
  'regoperin',
  'regoperatorin',
  'regprocrecv',
  'regprocedurerecv',
  'regoperrecv',
  'regoperatorrecv',
]);

/**
 * Which guardrail a call to (or reference of) the function `name` breaks, if any. Names compare
 * case-insensitively, so a quoted "PG_READ_FILE" is flagged too even though Postgres would not
 * resolve it to the builtin.
 *
 * @example
 * forbiddenFunction('pg_read_file')?.code; // 'SG306'
 */
export function forbiddenFunction(name: string): CallFinding | undefined {
  const lower = name.toLowerCase();
  if (fileAccessFunctions.has(lower))
    return { code: 'SG306', message: `${lower}() accesses files on the database server.` };
  if (serverAdminFunctions.has(lower))
    return { code: 'SG307', message: `${lower}() acts on the whole database server.` };
  if (lower.startsWith('dblink')) return { code: 'SG310', message: `${lower}() connects to another database.` };
  if (dynamicSqlFunctions.has(lower)) return { code: 'SG311', message: `${lower}() executes a SQL string.` };
  if (largeObjectFunctions.has(lower))
    return {
      code: 'SG318',
      message: `${lower}() works on large objects, which a superuser reads and writes whoever owns them.`,
    };
  if (bulkReadFunctions.has(lower))
    return { code: 'SG311', message: `${lower}() runs a query over every table it can see.` };
  if (sessionTextFunctions.has(lower)) return { code: 'SG318', message: `${lower}() shows other sessions' SQL text.` };
  if (advisoryLockFunctions.has(lower))
    return {
      code: 'SG329',
      message: `${lower}() takes or releases advisory locks in the session that holds schemagate's promotion lock.`,
    };
  if (privilegedFunctions.has(lower))
    return { code: 'SG307', message: `${lower}() is reserved to superusers and privileged roles.` };
  if (lower === 'set_config')
    return {
      code: 'SG326',
      message: 'set_config referenced as a function object, so the setting it changes cannot be seen.',
    };
  return undefined;
}

/** Guardrails broken by one FuncCall node: forbidden functions, settings changed by set_config(), lookups of functions by computed names. */
export function checkFuncCall(call: { funcname?: Node[]; args?: Node[] }, timeouts: TimeoutLimits): CallFinding[] {
  const name = names(call.funcname).at(-1)?.toLowerCase() ?? '';
  const args = call.args ?? [];
  if (name === 'set_config') {
    const setting = stringConstant(args[0])?.toLowerCase();
    if (setting === undefined) {
      return [
        {
          code: 'SG328',
          message:
            'set_config() with a computed setting name could change any setting, search_path and session_replication_role included.',
        },
      ];
    }
    return checkSetting(setting, [stringConstant(args[1])], { scope: 'session', timeouts });
  }
  // ts_rewrite(query, select) runs the select given as text; the three-argument form does not.
  if (name === 'ts_rewrite' && args.length === 2)
    return [{ code: 'SG311', message: 'ts_rewrite(query, select) executes a SQL string.' }];
  if (functionLookups.has(name)) return functionNamedBy(textConstant(args[0]), `${name}()`);
  if (name === 'current_setting') {
    const setting = stringConstant(args[0])?.toLowerCase();
    if (setting === undefined)
      return [
        {
          code: 'SG318',
          message: 'current_setting() of a computed name could read a setting that holds a path or a secret.',
        },
      ];
    if (hiddenSettings.has(setting))
      return [{ code: 'SG318', message: `current_setting('${setting}') reads a setting only superusers may read.` }];
  }
  if (relationNameFunctions.has(name) && stringConstant(args[0]) !== undefined) {
    const named = relationNamedBy(stringConstant(args[0]), `${name}()`);
    if (named.length > 0) return named;
  }
  if (tableReadFunctions.has(name) && relationConstant(args[0]) === undefined) {
    return [{ code: 'SG326', message: `${name}() of a computed table name reads a table the analyzer cannot see.` }];
  }
  const direct = forbiddenFunction(name);
  return direct ? [direct] : [];
}

/**
 * Guardrails broken by naming a function as text (`'pg_catalog.pg_read_file(text)'`), as reg*
 * casts and to_regproc() do; text the analyzer cannot read as a name (computed, an OID) is SG326.
 */
export function functionNamedBy(text: string | undefined, how: string): CallFinding[] {
  const parts = text === undefined ? undefined : qualifiedNameParts(text.split('(')[0] ?? '');
  if (!parts)
    return [
      { code: 'SG326', message: `${how} of a computed or unreadable name reaches a function the analyzer cannot see.` },
    ];
  const found = forbiddenFunction(parts.at(-1)!);
  return found ? [found] : [];
}

/** Guardrails broken by naming a relation as text (`'netlify.migrations'`, `'pg_authid'::regclass`): reserved schemas and secret catalogs. */
export function relationNamedBy(text: string | undefined, how: string): CallFinding[] {
  const parts = text === undefined ? undefined : qualifiedNameParts(text);
  if (!parts) return [];
  const schema = parts.length > 1 ? parts.at(-2) : undefined;
  if (parts.slice(0, -1).some(isReservedSchema))
    return [{ code: 'SG315', message: `${how} names the relation ${text} in a reserved schema.` }];
  if (isSecretRelation(schema, parts.at(-1)!))
    return [{ code: 'SG318', message: `${how} names ${text}, which holds secrets only superusers may read.` }];
  return [];
}

/** A relation named by a constant: 'users', 'users'::text, 'users'::regclass. */
function relationConstant(node: Node | undefined): string | undefined {
  const text = textConstant(node);
  if (text !== undefined) return text;
  const cast = (node as { TypeCast?: { arg?: Node; typeName?: { names?: Node[] } } } | undefined)?.TypeCast;
  return names(cast?.typeName?.names).at(-1)?.toLowerCase() === 'regclass' ? textConstant(cast?.arg) : undefined;
}

/**
 * Split a qualified name given as text (`pg_catalog."PG_READ_FILE"`) the way Postgres' reg* input
 * functions do: dots separate parts, double quotes keep case and dots, "" is a quote; unquoted
 * parts are lower-cased. Undefined when the text is not a plain qualified name.
 *
 * @example
 * qualifiedNameParts('pg_catalog."pg_read_file"'); // ['pg_catalog', 'pg_read_file']
 */
export function qualifiedNameParts(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  for (;;) {
    skipSpace();
    let part = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          i++;
        }
        part += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== '.' && !/\s/.test(text[i]!)) part += text[i++];
      part = part.toLowerCase();
    }
    if (part === '') return undefined;
    parts.push(part);
    skipSpace();
    if (i >= text.length) return parts;
    if (text[i] !== '.') return undefined;
    i++;
  }
}
