import type pg from 'pg';

/**
 * `too_powerful`: the role (or the session) could escalate beyond its own
 * database objects. `not_owner`: it lacks the ownership migrations need.
 */
export type RoleProblemKind = 'too_powerful' | 'not_owner';

export interface RoleProblem {
  kind: RoleProblemKind;
  /**
   * What is wrong, stable for scripts: `superuser`, `createrole`, `createdb`,
   * `replication`, `bypassrls`, `member_of:<role>`, `set_role`,
   * `session_authorization`, `parameter:<name>`, `schema:<name>`, and
   * `missing` when the role asked about does not exist.
   */
  what: string;
  message: string;
}

export interface RoleCheck {
  /** The role migrations run as (current_user of the session, or the role asked about). */
  role: string;
  problems: RoleProblem[];
}

/**
 * Schemas a migrator need not own: the system's, the ledgers schemagate and
 * Netlify write (created by `production setup`, written through grants), and
 * schemas that belong to an extension.
 */
export const reservedSchemas = ['pg_catalog', 'information_schema', 'netlify', 'schemagate'] as const;

const attributes = [
  ['rolsuper', 'superuser', 'is a superuser'],
  ['rolcreaterole', 'createrole', 'has CREATEROLE'],
  ['rolcreatedb', 'createdb', 'has CREATEDB'],
  ['rolreplication', 'replication', 'has REPLICATION'],
  ['rolbypassrls', 'bypassrls', 'has BYPASSRLS'],
] as const;

type Attributes = Record<(typeof attributes)[number][0], boolean>;

/** Why a predefined role is forbidden, for the ones people meet; every other pg_* role (except pg_database_owner) is forbidden too. */
const predefined: Record<string, string> = {
  pg_read_server_files: 'reads any file on the database server',
  pg_write_server_files: 'writes any file on the database server',
  pg_execute_server_program: 'runs programs on the database server',
  pg_read_all_data: 'reads every table of every database',
  pg_write_all_data: 'writes every table of every database',
  pg_signal_backend: 'cancels and terminates other sessions',
  pg_monitor: 'reads every setting and statistic',
  pg_checkpoint: 'forces checkpoints',
};

// One round trip. The login role counts, not current_user: a migration can
// RESET ROLE (and, after SET SESSION AUTHORIZATION by a superuser, switch
// back), so the authenticated user's powers are the session's powers.
// pg_stat_activity keeps the authenticated user through SET SESSION AUTHORIZATION
// (read through its function for this backend only: the view costs ~7 ms on a new connection).
const checkQuery = `
with session as (
  select session_user::text as session_role, current_user::text as current_role,
    (select pg_get_userbyid(a.usesysid)::text from pg_stat_get_activity(pg_backend_pid()) a) as login_role
), target as (
  select r.* from pg_roles r, session s
  where r.rolname = coalesce($1::text, s.login_role, s.session_role)
), memberships as (
  select r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls
  from pg_roles r, target t
  where r.oid <> t.oid and not t.rolsuper and pg_has_role(t.oid, r.oid, 'MEMBER')
    and (r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolreplication or r.rolbypassrls
      or (starts_with(r.rolname, 'pg_') and r.rolname <> 'pg_database_owner'))
), unowned as (
  select n.nspname, pg_get_userbyid(n.nspowner) as owner
  from pg_namespace n, target t
  where n.nspname <> all ($2::text[]) and not starts_with(n.nspname, 'pg_toast') and not starts_with(n.nspname, 'pg_temp_')
    and not exists (select from pg_depend d where d.classid = 'pg_namespace'::regclass and d.objid = n.oid and d.deptype = 'e')
    and n.nspowner <> t.oid
    and not (pg_get_userbyid(n.nspowner) = 'pg_database_owner' and (select datdba from pg_database where datname = current_database()) = t.oid)
)
select s.session_role, s.current_role, s.login_role, t.rolname as target,
  t.rolsuper, t.rolcreaterole, t.rolcreatedb, t.rolreplication, t.rolbypassrls,
  current_setting('server_version_num')::int as server_version,
  coalesce((select json_agg(m order by m.rolname) from memberships m), '[]') as memberships,
  coalesce((select json_agg(u order by u.nspname) from unowned u), '[]') as unowned
from session s left join target t on true`;

// pg_parameter_acl (PostgreSQL 15+): GRANT ALTER SYSTEM / SET ON PARAMETER
// reaches the server (archive_command runs programs).
const parameterQuery = `
select a.parname, string_agg(distinct x.privilege_type, ', ' order by x.privilege_type) as privileges
from pg_parameter_acl a, aclexplode(a.paracl) x
where case when x.grantee = 0 then true else pg_has_role((select oid from pg_roles where rolname = $1), x.grantee, 'MEMBER') end
group by a.parname order by a.parname`;

interface CheckRow extends Attributes {
  session_role: string;
  current_role: string;
  login_role: string | null;
  target: string | null;
  server_version: number;
  memberships: Array<Attributes & { rolname: string }>;
  unowned: Array<{ nspname: string; owner: string }>;
}

/**
 * What keeps a role from being a safe migrator: any way to escalate beyond
 * its own database (superuser, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS,
 * membership, direct or not, in a role that has one of them or in a
 * predefined pg_* role other than pg_database_owner, privileges on server
 * parameters, a session reached through SET ROLE or SET SESSION
 * AUTHORIZATION), and every application schema it does not own. An empty
 * list means the role may run migrations.
 *
 * Without `role`, checks the connected session itself; with `role`, checks
 * that role from any session (an admin's), leaving out the session checks.
 *
 * @example
 * const { role, problems } = await checkRolePrivileges(client);
 * if (problems.length > 0) throw new Error(`${role}: ${problems.map((p) => p.message).join('; ')}`);
 */
export async function checkRolePrivileges(client: pg.ClientBase, options: { role?: string } = {}): Promise<RoleCheck> {
  const row = (await client.query<CheckRow>(checkQuery, [options.role ?? null, reservedSchemas])).rows[0]!;
  const role = options.role ?? row.current_role;
  const login = row.target ?? options.role ?? row.session_role;
  if (row.target === null)
    return { role, problems: [{ kind: 'not_owner', what: 'missing', message: `role ${role} does not exist` }] };
  const problems: RoleProblem[] = [];
  const tooPowerful = (what: string, message: string) => problems.push({ kind: 'too_powerful', what, message });
  if (!options.role) {
    if (row.login_role && row.login_role !== row.session_role) {
      tooPowerful(
        'session_authorization',
        `the session logged in as ${row.login_role} and switched to ${row.session_role} with SET SESSION AUTHORIZATION, which a migration can undo: log in as ${row.current_role} itself`,
      );
    }
    if (row.session_role !== row.current_role) {
      tooPowerful(
        'set_role',
        `the session is ${row.session_role} with SET ROLE ${row.current_role}, which a migration can undo with RESET ROLE: log in as ${row.current_role} itself`,
      );
    }
  }
  const whose = login === role ? 'it' : login;
  for (const [column, what, text] of attributes) if (row[column]) tooPowerful(what, `${whose} ${text}`);
  for (const m of row.memberships) {
    const has = attributes.filter(([column]) => m[column]).map(([, , text]) => text.replace(/^(is a|has) /, ''));
    const why =
      has.length > 0
        ? `which has ${has.join(', ')}`
        : `a predefined role that ${predefined[m.rolname] ?? 'reaches beyond its own database'}`;
    tooPowerful(`member_of:${m.rolname}`, `${whose} is a member of ${m.rolname}, ${why}`);
  }
  if (row.server_version >= 150000 && !row.rolsuper) {
    const { rows } = await client.query<{ parname: string; privileges: string }>(parameterQuery, [login]);
    for (const p of rows)
      tooPowerful(
        `parameter:${p.parname}`,
        `${whose} was granted ${p.privileges} on the server parameter ${p.parname}`,
      );
  }
  for (const u of row.unowned) {
    problems.push({
      kind: 'not_owner',
      what: `schema:${u.nspname}`,
      message: `schema ${u.nspname} is owned by ${u.owner}, not by ${role}`,
    });
  }
  return { role, problems };
}

/**
 * The refusal for a failed check, or undefined when the role may migrate:
 * `<subject>_role_too_powerful` when it could escalate (even if it also
 * lacks ownership), else `<subject>_role_not_owner`. The message names the
 * role, lists every problem and ends with `fix`.
 *
 * @example
 * const refusal = roleRefusal(await checkRolePrivileges(client), 'production', 'run `schemagate production setup ...`');
 * if (refusal) throw new AppError(refusal.code, refusal.message);
 */
export function roleRefusal<S extends 'production' | 'preview'>(
  check: RoleCheck,
  subject: S,
  fix: string,
): { code: `${S}_role_too_powerful` | `${S}_role_not_owner`; message: string; problems: RoleProblem[] } | undefined {
  if (check.problems.length === 0) return undefined;
  const powerful = check.problems.some((p) => p.kind === 'too_powerful');
  const verdict = powerful ? 'is too powerful to run migrations' : "does not own the application's schemas";
  const list = check.problems.map((p) => `\n  - ${p.message}`).join('');
  return {
    code: powerful ? `${subject}_role_too_powerful` : `${subject}_role_not_owner`,
    message: `${subject} role ${check.role} ${verdict}:${list}\n${fix}`,
    problems: check.problems,
  };
}

/** What to do about a refused production role; the same words in every place that refuses. */
export const productionRoleFix =
  'Migrations must run as a login role that cannot escalate and owns the application schemas: run `schemagate production setup --admin-url <superuser url>` and set PRODUCTION_DATABASE_URL to the URL it prints.';
