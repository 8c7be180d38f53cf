/**
 * The pg_catalog queries behind `introspectSchema`. Each returns rows already
 * shaped like the model (column aliases are model field names); `$1` is the
 * list of excluded schema names.
 *
 * Only catalog columns present in both PostgreSQL 15 and 18 are read, except
 * `attgenerated = 'v'` (virtual generated columns, 18+), which 15 simply never
 * produces. They run with `search_path = pg_catalog`, so every pg_get_* and
 * format_type output schema-qualifies user objects the same way on any server.
 */

const qualified = (ns: string, name: string) => `quote_ident(${ns}.nspname) || '.' || quote_ident(${name})`;

/** A schema we model: not a system, temp or toast schema, not excluded. */
const visible = (ns: string) =>
  `${ns}.nspname <> all($1::text[]) and ${ns}.nspname not like 'pg\\_toast%' and ${ns}.nspname not like 'pg\\_temp%'`;

/** Objects created by CREATE EXTENSION are the extension's, not the schema's. */
const ownObject = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_depend e where e.classid = '${catalog}'::regclass and e.objid = ${oid} and e.deptype = 'e')`;

/** Only collations that differ from the type's default are part of the schema. */
const collation = (own: string, typeDefault: string) => `case when ${own} <> 0 and ${own} <> ${typeDefault} then
  (select ${qualified('cn', 'co.collname')} from pg_collation co join pg_namespace cn on cn.oid = co.collnamespace
   where co.oid = ${own}) end`;

const fkAction = (column: string) => `case ${column} when 'a' then 'no action' when 'r' then 'restrict'
  when 'c' then 'cascade' when 'n' then 'set null' when 'd' then 'set default' end`;

const relationsIn = (kinds: string, join = '') => `from pg_class c join pg_namespace n on n.oid = c.relnamespace ${join}
  where c.relkind in (${kinds}) and ${visible('n')} and ${ownObject('pg_class', 'c.oid')}`;

const options = `array(select o from unnest(c.reloptions) o order by o)`;

export const catalogQueries = {
  schemas: `select 'schema ' || quote_ident(n.nspname) as id, n.nspname::text as name
    from pg_namespace n where ${visible('n')} and ${ownObject('pg_namespace', 'n.oid')}`,

  extensions: `select 'extension ' || quote_ident(x.extname) as id, x.extname::text as name from pg_extension x`,

  enums: `select 'enum ' || ${qualified('n', 't.typname')} as id,
      array(select l.enumlabel::text from pg_enum l where l.enumtypid = t.oid order by l.enumsortorder) as labels
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where t.typtype = 'e' and ${visible('n')} and ${ownObject('pg_type', 't.oid')}`,

  // Since PG 17 a domain's NOT NULL is also a pg_constraint row (contype 'n');
  // typnotnull carries it on every version, so only CHECKs are listed.
  domains: `select 'domain ' || ${qualified('n', 't.typname')} as id,
      format_type(t.typbasetype, t.typtypmod) as "baseType", not t.typnotnull as nullable,
      pg_get_expr(t.typdefaultbin, 0) as default, ${collation('t.typcollation', 'b.typcollation')} as collation,
      array(select quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid) from pg_constraint k
            where k.contypid = t.oid and k.contype = 'c' order by k.conname) as constraints
    from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_type b on b.oid = t.typbasetype
    where t.typtype = 'd' and ${visible('n')} and ${ownObject('pg_type', 't.oid')}`,

  // Identity sequences (deptype 'i') are internal to their column: the column's
  // `identity` models them.
  sequences: `select 'sequence ' || ${qualified('n', 'c.relname')} as id, format_type(s.seqtypid, null) as "dataType",
      s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
      s.seqcache::text as cache, s.seqcycle as cycle,
      (select ${qualified('tn', 'tc.relname')} || '.' || quote_ident(a.attname)
       from pg_depend d join pg_class tc on tc.oid = d.refobjid join pg_namespace tn on tn.oid = tc.relnamespace
       join pg_attribute a on a.attrelid = tc.oid and a.attnum = d.refobjsubid
       where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass
         and d.deptype = 'a' and d.refobjsubid > 0 limit 1) as "ownedBy"
    ${relationsIn(`'S'`, 'join pg_sequence s on s.seqrelid = c.oid')} and not exists (select 1 from pg_depend d
      where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'i')`,

  tables: `select 'table ' || ${qualified('n', 'c.relname')} as id,
      case c.relkind when 'p' then 'partitioned table' else 'table' end as kind, c.relpersistence = 'u' as unlogged,
      case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as "partitionKey",
      (select ${qualified('pn', 'pc.relname')} from pg_inherits i join pg_class pc on pc.oid = i.inhparent
       join pg_namespace pn on pn.oid = pc.relnamespace where i.inhrelid = c.oid and c.relispartition) as "partitionOf",
      case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as "partitionBound",
      c.relrowsecurity as "rowSecurity", c.relforcerowsecurity as "forceRowSecurity", ${options} as options
    ${relationsIn(`'r', 'p'`)}`,

  // The default and the generation expression share pg_attrdef; attgenerated
  // says which one it is.
  columns: `select 'column ' || ${qualified('n', 'c.relname')} || '.' || quote_ident(a.attname) as id,
      ${qualified('n', 'c.relname')} as table, (row_number() over (partition by c.oid order by a.attnum))::int as position,
      format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable,
      case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default,
      case a.attidentity when 'a' then 'always' when 'd' then 'by default' end as identity,
      case when a.attgenerated <> '' then pg_get_expr(ad.adbin, ad.adrelid) end as generated,
      case a.attgenerated when 's' then 'stored' when 'v' then 'virtual' end as "generatedKind",
      ${collation('a.attcollation', 'ty.typcollation')} as collation
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_type ty on ty.oid = a.atttypid left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p')
      and ${visible('n')} and ${ownObject('pg_class', 'c.oid')}`,

  // contype 'n' (PG 18 catalogs NOT NULL as constraints) is left to the column's
  // `nullable`; 't' is a constraint trigger, listed with the triggers. A foreign
  // key that references a partitioned table gets one internal row per
  // referenced partition on the same table (named <fk>1, <fk>2, conparentid
  // set): only the top one is the user's constraint.
  constraints: `select 'constraint ' || ${qualified('n', 'c.relname')} || '.' || quote_ident(k.conname) as id,
      ${qualified('n', 'c.relname')} as table,
      case k.contype when 'p' then 'primary key' when 'u' then 'unique' when 'f' then 'foreign key'
        when 'c' then 'check' when 'x' then 'exclusion' end as type,
      pg_get_constraintdef(k.oid) as definition, k.convalidated as validated,
      k.condeferrable as deferrable, k.condeferred as deferred,
      (select ${qualified('rn', 'rc.relname')} from pg_class rc join pg_namespace rn on rn.oid = rc.relnamespace
       where rc.oid = k.confrelid) as "references",
      case when k.contype = 'f' then ${fkAction('k.confupdtype')} end as "onUpdate",
      case when k.contype = 'f' then ${fkAction('k.confdeltype')} end as "onDelete"
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype in ('p', 'u', 'f', 'c', 'x') and ${visible('n')} and ${ownObject('pg_class', 'c.oid')}
      and not exists (select 1 from pg_constraint pk where pk.oid = k.conparentid and pk.conrelid = k.conrelid)`,

  indexes: `select 'index ' || ${qualified('n', 'ic.relname')} as id, ${qualified('n', 'c.relname')} as table,
      pg_get_indexdef(i.indexrelid) as definition, i.indisunique as unique, i.indisvalid as valid,
      pg_get_expr(i.indpred, i.indrelid) as predicate
    from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    where ${visible('n')} and ${ownObject('pg_class', 'c.oid')}
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid
                      and k.contype in ('p', 'u', 'x'))`,

  views: `select case c.relkind when 'm' then 'materialized view' else 'view' end as "objectType",
      ${qualified('n', 'c.relname')} as name, pg_get_viewdef(c.oid, true) as definition, ${options} as options
    ${relationsIn(`'v', 'm'`)}`,

  // Aggregates are left out: pg_get_functiondef refuses them. The id uses
  // proargtypes, pg_proc's own unique key, so renaming a parameter is a change,
  // not a drop and an add.
  functions: `select case p.prokind when 'p' then 'procedure' else 'function' end as "objectType",
      ${qualified('n', 'p.proname')} || '(' || oidvectortypes(p.proargtypes) || ')' as signature,
      pg_get_function_arguments(p.oid) as arguments,
      case when p.prokind <> 'p' then pg_get_function_result(p.oid) end as returns, l.lanname::text as language,
      case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end as volatility,
      p.proisstrict as strict, p.prosecdef as "securityDefiner", pg_get_functiondef(p.oid) as definition
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
    where p.prokind in ('f', 'p', 'w') and ${visible('n')} and ${ownObject('pg_proc', 'p.oid')}`,

  triggers: `select 'trigger ' || ${qualified('n', 'c.relname')} || '.' || quote_ident(t.tgname) as id,
      ${qualified('n', 'c.relname')} as table, pg_get_triggerdef(t.oid) as definition,
      case t.tgenabled when 'O' then 'origin' when 'A' then 'always' when 'R' then 'replica' else 'disabled' end as enabled
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and ${visible('n')} and ${ownObject('pg_class', 'c.oid')}`,

  // polroles holds 0 for PUBLIC.
  policies: `select 'policy ' || ${qualified('n', 'c.relname')} || '.' || quote_ident(p.polname) as id,
      ${qualified('n', 'c.relname')} as table,
      case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete'
        else 'all' end as command, p.polpermissive as permissive,
      array(select case when r.oid = 0 then 'public' else (select g.rolname::text from pg_roles g where g.oid = r.oid) end
            from unnest(p.polroles) as r(oid) order by 1) as roles,
      pg_get_expr(p.polqual, p.polrelid) as "using", pg_get_expr(p.polwithcheck, p.polrelid) as "withCheck"
    from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
    where ${visible('n')} and ${ownObject('pg_class', 'c.oid')}`,
} as const;
