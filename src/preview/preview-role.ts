import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withAdvisoryLock } from '../database/advisory-locks.ts';
import { quoteIdent, quoteLiteral, withClient } from '../database/server-admin.ts';

/**
 * Migrations on a preview run as this role, connected as it (LOGIN), never
 * through `SET ROLE` from an admin session: a superuser session user can
 * always `RESET ROLE` or `SET SESSION AUTHORIZATION` back, so SET ROLE would
 * not stop a migration from running `ALTER SYSTEM` or `COPY ... PROGRAM`.
 * The role owns every copied object and the preview database (so, on PG 15+,
 * the `public` schema through pg_database_owner), which is what a migration
 * needs and nothing more: no superuser, CREATEDB, CREATEROLE, REPLICATION or
 * BYPASSRLS.
 */
export const previewRole = 'sg_preview_runner';

export interface RoleCredentials {
  user: string;
  password: string;
}

/**
 * Creates the preview role once per server and (re)sets its password.
 * The password is derived from the admin URL, so every process holding that
 * URL agrees on it without storing a secret of its own.
 *
 * @example
 * const runner = await ensurePreviewRole(admin, adminUrl);
 * const url = databaseUrl(adminUrl, 'sg_preview_ab12_r1', runner);
 */
export async function ensurePreviewRole(admin: pg.ClientBase, adminUrl: string): Promise<RoleCredentials> {
  const password = createHash('sha256').update(`schemagate preview role\0${adminUrl}`).digest('base64url');
  // Concurrent CREATE/ALTER ROLE on one role fail with "tuple concurrently updated".
  await withAdvisoryLock(admin, 'preview-role', async () => {
    const { rows } = await admin.query<Record<string, boolean>>(
      'select rolsuper as superuser, rolcreatedb as createdb, rolcreaterole as createrole, rolreplication as replication, rolbypassrls as bypassrls from pg_roles where rolname = $1',
      [previewRole],
    );
    const existing = rows[0];
    // Naming SUPERUSER, REPLICATION or BYPASSRLS at all, even to deny it, takes a superuser; an
    // admin that is none (Neon's and Netlify Database's owners) may only drop what the role has.
    const attributes = ['superuser', 'createdb', 'createrole', 'replication', 'bypassrls']
      .filter((a) => !existing || existing[a])
      .map((a) => `no${a}`);
    await admin.query(
      `${existing ? 'alter' : 'create'} role ${quoteIdent(previewRole)} login ${attributes.join(' ')} password ${quoteLiteral(password)}`,
    );
    // Handing a base to the role (ALTER ... OWNER) takes membership in it unless the admin is a superuser.
    // The admin becomes a member of the preview role, never the other way round: the role gains nothing.
    const { rows: admins } = await admin.query<{ superuser: boolean; member: boolean }>(
      `select rolsuper as superuser, pg_has_role(current_user, $1, 'member') as member from pg_roles where rolname = current_user`,
      [previewRole],
    );
    if (admins[0] && !admins[0].superuser && !admins[0].member)
      await admin.query(`grant ${quoteIdent(previewRole)} to current_user`);
  });
  return { user: previewRole, password };
}

/**
 * Hands every user object of the connected database to `role`, except in
 * `skipSchemas`; returns how many objects changed owner. REASSIGN OWNED
 * cannot be used: objects of the bootstrap superuser are "required by the
 * database system". Extension members keep their owner (they follow the
 * extension), and so do schemas owned by pg_database_owner.
 *
 * @example
 * await transferOwnership(baseClient, previewRole);
 */
export async function transferOwnership(
  client: pg.ClientBase,
  role: string,
  options: { skipSchemas?: readonly string[] } = {},
): Promise<number> {
  const { rows } = await client.query<{ statement: string }>(ownershipStatements, [role, options.skipSchemas ?? []]);
  if (rows.length === 0) return 0;
  await client.query(`begin;\n${rows.map((r) => `${r.statement};`).join('\n')}\ncommit;`);
  return rows.length;
}

const ownershipStatements = `
with user_namespaces as (
  select oid, nspname from pg_namespace
  where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg\\_temp\\_%' and nspname not like 'pg\\_toast\\_temp\\_%'
    and nspname <> all ($2::text[])
), extension_members as (
  select classid, objid from pg_depend where deptype = 'e'
), target as (select oid from pg_roles where rolname = $1)
select format('alter schema %I owner to %I', n.nspname, $1) as statement
from user_namespaces n join pg_namespace ns on ns.oid = n.oid
where ns.nspowner not in (select oid from target) and ns.nspowner <> 'pg_database_owner'::regrole
  and not exists (select from extension_members e where e.classid = 'pg_namespace'::regclass and e.objid = n.oid)
union all
select format('alter %s %s owner to %I',
  case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' when 'f' then 'foreign table' else 'table' end,
  c.oid::regclass, $1)
from pg_class c join user_namespaces n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and c.relowner not in (select oid from target)
  and not exists (select from extension_members e where e.classid = 'pg_class'::regclass and e.objid = c.oid)
  -- serial and identity sequences follow their table
  and not (c.relkind = 'S' and exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
union all
select format('alter routine %s owner to %I', p.oid::regprocedure, $1)
from pg_proc p join user_namespaces n on n.oid = p.pronamespace
where p.proowner not in (select oid from target)
  and not exists (select from extension_members e where e.classid = 'pg_proc'::regclass and e.objid = p.oid)
union all
select format('alter %s %s owner to %I', case t.typtype when 'd' then 'domain' else 'type' end, t.oid::regtype, $1)
from pg_type t join user_namespaces n on n.oid = t.typnamespace
where t.typowner not in (select oid from target)
  and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))
  and not exists (select from extension_members e where e.classid = 'pg_type'::regclass and e.objid = t.oid)`;

/**
 * Hands a database and every user object in it to `role`: the database
 * first, since as its owner the role may create in `public`
 * (pg_database_owner's), which handing it the objects there requires when
 * the admin is no superuser (Neon's and Netlify Database's owners).
 *
 * @example
 * await handDatabaseTo(admin, databaseUrl(serverUrl, 'sg_base_0f3a'), 'sg_base_0f3a', previewRole);
 */
export async function handDatabaseTo(admin: pg.ClientBase, url: string, name: string, role: string): Promise<void> {
  await admin.query(`alter database ${quoteIdent(name)} owner to ${quoteIdent(role)}`);
  await withClient(url, (client) => transferOwnership(client, role));
}
