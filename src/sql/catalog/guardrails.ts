import type { RuleMeta } from '../types.ts';

const remove = 'Remove the statement; an operator does this outside schemagate if it is really needed.';

const guardrail = (code: string, name: string, title: string, why: string, suggestion = remove): RuleMeta => ({
  code, name, category: 'guardrail', severity: 'error', title, why, suggestion, locked: true,
});

/**
 * Statements an agent may never run, whatever the policy: they change who may do
 * what, reach outside the target database, or hide what the migration does.
 */
export const guardrailRules: RuleMeta[] = [
  guardrail('SG301', 'role-management', 'CREATE / ALTER / DROP ROLE, USER or GROUP',
    'Roles are cluster-wide: a migration that creates or alters them changes who can log in to every database on the server.'),
  guardrail('SG302', 'privilege-change', 'GRANT, REVOKE, ALTER DEFAULT PRIVILEGES or ownership change',
    'Privileges decide what every other client may read and write; an agent must not widen (or narrow) them.'),
  guardrail('SG303', 'session-identity', 'SET ROLE / SET SESSION AUTHORIZATION',
    'Switches the identity the rest of the migration runs as, defeating the audit of who ran what.'),
  guardrail('SG304', 'alter-system', 'ALTER SYSTEM',
    'Rewrites postgresql.auto.conf: server-wide configuration outside the target database.'),
  guardrail('SG305', 'server-side-copy', 'COPY to or from a server file or PROGRAM',
    'Reads or writes files on the database server, or runs a shell command there.',
    'Load data with COPY ... FROM STDIN through the client, or with INSERT statements.'),
  guardrail('SG306', 'server-file-access', 'Server file access function',
    'pg_read_file, pg_ls_dir, pg_stat_file, lo_import, lo_export and friends read or write files on the database server, wherever they appear (a default, a view, a function body).'),
  guardrail('SG307', 'server-admin-function', 'Server administration function',
    'pg_terminate_backend, pg_reload_conf, replication slot and WAL functions act on the whole server, not the migration\'s objects.'),
  guardrail('SG308', 'extension-not-allowed', 'CREATE EXTENSION outside the allowlist',
    'Extensions run C code inside the server; only those in the policy\'s allowlist are known to be safe. CASCADE could install unlisted dependencies.',
    'Use an extension from the allowlist, create each dependency explicitly, or ask an operator to extend policy.extensions.'),
  guardrail('SG309', 'session-replication-role', 'Changing session_replication_role',
    'session_replication_role = replica disables triggers and foreign-key enforcement, letting the migration write data that breaks integrity.'),
  guardrail('SG310', 'external-connection', 'dblink, foreign data wrappers, servers, user mappings or replication',
    'Opens connections to other databases or exposes this one: writes outside the target database.'),
  guardrail('SG311', 'dynamic-sql', 'Dynamic SQL in a function, procedure or DO block',
    'EXECUTE of a computed string (or query_to_xml and similar) runs SQL that no reviewer and no rule can see.',
    'Write the statements as plain SQL in the migration.'),
  guardrail('SG312', 'untrusted-code', 'Untrusted language, CREATE LANGUAGE or LOAD',
    'Functions in languages other than SQL and PL/pgSQL (C, internal, plpython3u, ...) and LOAD run arbitrary code in the server process, which schemagate cannot inspect.',
    'Write the function in SQL or PL/pgSQL.'),
  guardrail('SG313', 'transaction-control', 'Transaction control inside the migration',
    'schemagate owns the migration\'s transaction (and its lock_timeout, retries and ledger row); BEGIN, COMMIT, ROLLBACK, SAVEPOINT or PREPARE TRANSACTION would split or escape it.',
    'Remove the statement; put statements that must run outside a transaction in a migration of their own.'),
  guardrail('SG314', 'cluster-object', 'CREATE / ALTER / DROP DATABASE, TABLESPACE or EVENT TRIGGER',
    'Acts on the server or on another database rather than on the migration\'s target database.'),
  guardrail('SG315', 'reserved-schema', 'Touches the netlify or schemagate schema',
    'These schemas hold the migration ledgers that decide what has been applied; changing them could forge or erase migration history.',
    'Use your own schema.'),
  guardrail('SG316', 'unverifiable-body', 'Function body that cannot be verified',
    'The body did not parse with the Postgres parser and contains words that could run forbidden statements, so its guardrails cannot be checked.',
    'Simplify the body (for example avoid %TYPE references) so that it parses, or write the statements as plain SQL.'),
];
