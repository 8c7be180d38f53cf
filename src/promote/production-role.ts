import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withAdvisoryLock } from '../database/advisory-locks.ts';
import { checkRolePrivileges, reservedSchemas, type RoleProblem } from '../database/role-privileges.ts';
import { AppError } from '../errors.ts';
import { transferOwnership } from '../preview/preview-role.ts';
import { databaseUrl, quoteIdent, quoteLiteral, redact } from '../database/server-admin.ts';
import { ensureProductionLedger } from './production-ledger.ts';

export const defaultMigratorRole = 'sg_migrator';

export interface ProductionRoleOptions {
  /** Login role to create or repair; `sg_migrator` by default. */
  role?: string;
  /** Database to set up on the admin URL's server; the admin URL's own database by default. */
  database?: string;
  /** Use this password instead of a generated one (the embedded default derives its own). */
  password?: string;
  /** Set a new password even though the role exists. */
  rotatePassword?: boolean;
}

export interface ProductionRoleResult {
  role: string;
  database: string;
  created: boolean;
  /** Whether this run set the role's password (created, rotated, or `password` did not log in). */
  passwordSet: boolean;
  /** PRODUCTION_DATABASE_URL with the password, when this run knows it; otherwise without. */
  url: string;
  /** What this run changed, in words; empty when everything already was in place. */
  changes: string[];
  /** The check run afterwards: as the role itself when the password is known, else on the catalog. */
  checkedAs: 'session' | 'catalog';
  problems: RoleProblem[];
}

const forbiddenRole = (alias: string) =>
  `(${alias}.rolsuper or ${alias}.rolcreaterole or ${alias}.rolcreatedb or ${alias}.rolreplication or ${alias}.rolbypassrls
    or (starts_with(${alias}.rolname, 'pg_') and ${alias}.rolname <> 'pg_database_owner'))`;

// Direct grants through which the role reaches a forbidden role (the grant, not the
// forbidden role's own memberships, is what is revoked: other roles keep theirs).
const forbiddenGrants = `
select g.rolname as granted, pg_get_userbyid(m.grantor) as grantor
from pg_auth_members m join pg_roles g on g.oid = m.roleid
where m.member = (select oid from pg_roles where rolname = $1)
  and exists (select from pg_roles f where (f.oid = g.oid or pg_has_role(g.oid, f.oid, 'MEMBER')) and ${forbiddenRole('f')})
order by 1, 2`;

// Roles that own what the migrator takes over, so they keep their access through
// membership in it (an application connecting as the old owner goes on working),
// and a non-superuser admin may hand objects over (ALTER ... OWNER needs SET ROLE
// to the new owner). On PostgreSQL 16+ the role's creator is already a member with
// ADMIN but without INHERIT or SET, hence USAGE and SET rather than MEMBER.
const previousOwners = `
with app_namespaces as (
  select n.oid, case when pg_get_userbyid(n.nspowner) = 'pg_database_owner' then d.datdba else n.nspowner end as owner
  from pg_namespace n, pg_database d
  where d.datname = current_database()
    and n.nspname <> all ($2::text[]) and not starts_with(n.nspname, 'pg_toast') and not starts_with(n.nspname, 'pg_temp_')
    and not exists (select from pg_depend e where e.classid = 'pg_namespace'::regclass and e.objid = n.oid and e.deptype = 'e')
), owners as (
  select owner from app_namespaces
  union select c.relowner from pg_class c join app_namespaces n on n.oid = c.relnamespace
  union select p.proowner from pg_proc p join app_namespaces n on n.oid = p.pronamespace
  union select t.typowner from pg_type t join app_namespaces n on n.oid = t.typnamespace
)
select r.rolname from owners o join pg_roles r on r.oid = o.owner, pg_roles target
where target.rolname = $1 and r.oid <> target.oid and not r.rolsuper and not starts_with(r.rolname, 'pg_')
  and not (pg_has_role(r.oid, target.oid, 'USAGE')
    and case when current_setting('server_version_num')::int >= 160000 then pg_has_role(r.oid, target.oid, 'SET') else true end)
  and not pg_has_role(target.oid, r.oid, 'MEMBER')
order by 1`;

// Schemas pg_database_owner owns (public, on PostgreSQL 15+) count as the
// migrator's only when it owns the database; production's owner is someone else.
const databaseOwnerSchemas = `
select n.nspname from pg_namespace n, pg_database d, pg_roles target
where d.datname = current_database() and target.rolname = $1 and d.datdba <> target.oid
  and pg_get_userbyid(n.nspowner) = 'pg_database_owner' and n.nspname <> all ($2::text[])
order by 1`;

const ledgerTables = ['netlify.migrations', 'schemagate.ledger', 'schemagate.ledger_steps'];

/**
 * Creates or repairs the production migrator: a login role with
 * NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS, in no
 * forbidden role (grants that reach one are revoked), owning every
 * application schema and its objects (previous owners are granted the role,
 * so they keep their access), and allowed to write the production ledgers
 * (created here if missing). Then checks the role with
 * checkRolePrivileges.
 *
 * Idempotent: a second run changes nothing and keeps the password; a new
 * password is set only on creation, with `rotatePassword`, or when the given
 * `password` does not log in. Needs an admin URL (superuser, or CREATEROLE
 * and the owner of the objects to hand over).
 *
 * @example
 * const setup = await setupProductionRole('postgres://postgres:pw@db:5432/app');
 * console.log(setup.url); // postgres://sg_migrator:<generated>@db:5432/app
 */
export async function setupProductionRole(
  adminUrl: string,
  options: ProductionRoleOptions = {},
): Promise<ProductionRoleResult> {
  const role = options.role ?? defaultMigratorRole;
  const database = options.database ?? decodeURIComponent(new URL(adminUrl).pathname.slice(1) || 'postgres');
  const url = databaseUrl(adminUrl, database);
  const admin = await connect(url);
  try {
    const changes: string[] = [];
    const prepared = await failsAs(() =>
      withAdvisoryLock(admin, `production-role:${role}`, async () => {
        await assertAdmin(admin, role);
        const login = await ensureLoginRole(admin, role, options, changes);
        await revokeForbiddenGrants(admin, role, changes);
        await takeOwnership(admin, role, database, changes);
        await allowLedgers(admin, role, database, changes);
        return login;
      }),
    );
    const { password } = prepared;
    let { passwordSet } = prepared;
    let checked: { problems: RoleProblem[]; checkedAs: ProductionRoleResult['checkedAs'] };
    if (password === undefined) {
      checked = { problems: (await checkRolePrivileges(admin, { role })).problems, checkedAs: 'catalog' };
    } else {
      const roleUrl = databaseUrl(url, database, { user: role, password });
      let session = await connect(roleUrl).catch((error: unknown) => error as AppError);
      if (session instanceof AppError && session.details === invalidPassword && !passwordSet) {
        // The given password no longer logs in (changed by hand): set it again.
        await admin.query(`alter role ${quoteIdent(role)} password ${quoteLiteral(password)}`);
        passwordSet = true;
        changes.push(`set the password of ${role}`);
        session = await connect(roleUrl);
      }
      if (session instanceof AppError) throw session;
      try {
        checked = { problems: (await checkRolePrivileges(session)).problems, checkedAs: 'session' };
      } finally {
        await session.end().catch(() => {});
      }
    }
    return {
      role,
      database,
      created: prepared.created,
      passwordSet,
      url: databaseUrl(url, database, { user: role, ...(password === undefined ? {} : { password }) }),
      changes,
      ...checked,
    };
  } finally {
    await admin.end().catch(() => {});
  }
}

const invalidPassword = '28P01';

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    const code = error instanceof pg.DatabaseError ? error.code : undefined;
    // Wrong credentials or a missing database are the operator's to fix; the rest is the network.
    if (code === invalidPassword || code === '28000' || code === '3D000')
      throw new AppError(
        'production_setup_failed',
        `cannot log in to ${redact(url)}: ${(error as Error).message}`,
        code,
      );
    throw new AppError('unavailable', `cannot connect to ${redact(url)}: ${(error as Error).message}`);
  }
}

async function failsAs<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError || !(error instanceof pg.DatabaseError)) throw error;
    throw new AppError(
      'production_setup_failed',
      `production setup failed: ${error.message} (SQLSTATE ${error.code}); run it with a superuser URL as --admin-url`,
    );
  }
}

async function assertAdmin(admin: pg.ClientBase, role: string): Promise<void> {
  const { rows } = await admin.query<{ rolname: string; rolsuper: boolean; rolcreaterole: boolean }>(
    'select rolname, rolsuper, rolcreaterole from pg_roles where rolname = session_user',
  );
  const me = rows[0]!;
  if (me.rolname === role)
    throw new AppError(
      'validation_failed',
      `--role ${role} is the admin role itself: name a separate role for migrations (default ${defaultMigratorRole})`,
    );
  if (!me.rolsuper && !me.rolcreaterole) {
    throw new AppError(
      'admin_privileges_missing',
      `${me.rolname} can neither create roles nor hand over objects: pass a superuser URL (or, on hosted Postgres, the database owner's) as --admin-url`,
    );
  }
}

async function ensureLoginRole(
  admin: pg.ClientBase,
  role: string,
  options: ProductionRoleOptions,
  changes: string[],
): Promise<{ created: boolean; password: string | undefined; passwordSet: boolean }> {
  const { rows } = await admin.query<{
    rolcanlogin: boolean;
    rolsuper: boolean;
    rolcreatedb: boolean;
    rolcreaterole: boolean;
    rolreplication: boolean;
    rolbypassrls: boolean;
  }>(
    'select rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls from pg_roles where rolname = $1',
    [role],
  );
  const existing = rows[0];
  const generated = () => options.password ?? randomBytes(24).toString('base64url');
  const safe = 'login nosuperuser nocreatedb nocreaterole noreplication nobypassrls';
  if (!existing) {
    const password = generated();
    await admin.query(`create role ${quoteIdent(role)} ${safe} password ${quoteLiteral(password)}`);
    changes.push(`created role ${role}`);
    return { created: true, password, passwordSet: true };
  }
  const wrong = (
    [
      ['rolcanlogin', false, 'LOGIN'],
      ['rolsuper', true, 'NOSUPERUSER'],
      ['rolcreatedb', true, 'NOCREATEDB'],
      ['rolcreaterole', true, 'NOCREATEROLE'],
      ['rolreplication', true, 'NOREPLICATION'],
      ['rolbypassrls', true, 'NOBYPASSRLS'],
    ] as const
  ).filter(([column, bad]) => existing[column] === bad);
  if (wrong.length > 0) {
    await admin.query(`alter role ${quoteIdent(role)} ${wrong.map(([, , fix]) => fix).join(' ')}`);
    changes.push(`altered role ${role}: ${wrong.map(([, , fix]) => fix).join(' ')}`);
  }
  if (options.rotatePassword) {
    const password = generated();
    await admin.query(`alter role ${quoteIdent(role)} password ${quoteLiteral(password)}`);
    changes.push(`set a new password for ${role}`);
    return { created: false, password, passwordSet: true };
  }
  return { created: false, password: options.password, passwordSet: false };
}

async function revokeForbiddenGrants(admin: pg.ClientBase, role: string, changes: string[]): Promise<void> {
  const { rows } = await admin.query<{ granted: string; grantor: string }>(forbiddenGrants, [role]);
  for (const grant of rows) {
    await admin.query(
      `revoke ${quoteIdent(grant.granted)} from ${quoteIdent(role)} granted by ${quoteIdent(grant.grantor)}`,
    );
    changes.push(`revoked membership in ${grant.granted} (granted by ${grant.grantor})`);
  }
}

async function takeOwnership(admin: pg.ClientBase, role: string, database: string, changes: string[]): Promise<void> {
  const owners = (await admin.query<{ rolname: string }>(previousOwners, [role, reservedSchemas])).rows.map(
    (r) => r.rolname,
  );
  for (const owner of owners) {
    await admin.query(`grant ${quoteIdent(role)} to ${quoteIdent(owner)}`);
    changes.push(`granted ${role} to ${owner}, which owned objects it takes over, so ${owner} keeps its access`);
  }
  const schemas = (await admin.query<{ nspname: string }>(databaseOwnerSchemas, [role, reservedSchemas])).rows.map(
    (r) => r.nspname,
  );
  for (const schema of schemas) {
    await admin.query(`alter schema ${quoteIdent(schema)} owner to ${quoteIdent(role)}`);
    changes.push(
      `schema ${schema} (owned by pg_database_owner, and ${role} does not own ${database}) now belongs to ${role}`,
    );
  }
  const moved = await transferOwnership(admin, role, { skipSchemas: reservedSchemas });
  if (moved > 0) changes.push(`${role} now owns ${moved} more schema(s) and object(s) of ${database}`);
}

async function allowLedgers(admin: pg.ClientBase, role: string, database: string, changes: string[]): Promise<void> {
  await ensureProductionLedger(admin);
  const r = quoteIdent(role);
  const { rows } = await admin.query<{ connect: boolean; create: boolean; usage: boolean; tables: boolean }>(
    `select has_database_privilege($1, current_database(), 'CONNECT') as connect,
       has_database_privilege($1, current_database(), 'CREATE') as create,
       has_schema_privilege($1, 'netlify', 'USAGE') and has_schema_privilege($1, 'schemagate', 'USAGE') as usage,
       bool_and(has_table_privilege($1, t, 'SELECT') and has_table_privilege($1, t, 'INSERT') and has_table_privilege($1, t, 'UPDATE')) as tables
     from unnest($2::text[]) t`,
    [role, ledgerTables],
  );
  const have = rows[0]!;
  if (!have.connect || !have.create) {
    // CREATE: migrations may create schemas (which it then owns).
    await admin.query(`grant connect, create on database ${quoteIdent(database)} to ${r}`);
    changes.push(`granted CONNECT, CREATE on database ${database}`);
  }
  if (!have.usage || !have.tables) {
    await admin.query(
      `grant usage on schema netlify, schemagate to ${r}; grant select, insert, update on ${ledgerTables.join(', ')} to ${r}`,
    );
    changes.push(`granted writing the ledgers ${ledgerTables.join(', ')}`);
  }
}
