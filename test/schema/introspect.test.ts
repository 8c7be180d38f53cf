import { describe, expect, it } from 'vitest';
import { introspectSchema } from '../../src/schema/introspect.ts';
import { objectTypes } from '../../src/schema/model.ts';
import { fixture, fixtureSql, scratchWith } from './schema-fixture.ts';

describe('introspectSchema', () => {
  it('models every object type of the fixture, and nothing from system, control-plane or extension schemas', async () => {
    const { pool } = await scratchWith(...fixtureSql);
    const model = await introspectSchema(pool);

    expect(Object.keys(model.objects)).toEqual([
      'column app.events.at',
      'column app.events.id',
      'column app.events.payload',
      'column app.events_2024.at',
      'column app.events_2024.id',
      'column app.events_2024.payload',
      'column app.orders.id',
      'column app.orders.period',
      'column app.orders.status',
      'column app.orders.total',
      'column app.orders.user_id',
      'column app.users.created_at',
      'column app.users.email',
      'column app.users.id',
      'column app.users.name',
      'column app.users.search',
      'constraint app.orders.orders_no_overlap',
      'constraint app.orders.orders_pkey',
      'constraint app.orders.orders_total_check',
      'constraint app.orders.orders_total_positive',
      'constraint app.orders.orders_user_id_fkey',
      'constraint app.users.users_email_key',
      'constraint app.users.users_pkey',
      'domain app.email',
      'enum app.status',
      'extension pgcrypto',
      'extension plpgsql',
      'function app.touch()',
      'index app.orders_open_idx',
      'materialized view app.order_totals',
      'policy app.users.users_insert',
      'policy app.users.users_self',
      'procedure app.close_order(integer)',
      'schema app',
      'schema public',
      'sequence app.invoice_no',
      'sequence app.orders_id_seq',
      'table app.events',
      'table app.events_2024',
      'table app.orders',
      'table app.users',
      'trigger app.users.users_touch',
      'view app.open_orders',
    ]);
    expect(new Set(Object.values(model.objects).map((o) => o.objectType))).toEqual(new Set(objectTypes));
  });

  it('reads the attributes of each object from the catalog', async () => {
    const { pool } = await scratchWith(...fixtureSql);
    const o = (await introspectSchema(pool)).objects;

    const column = {
      objectType: 'column',
      default: null,
      identity: null,
      generated: null,
      generatedKind: null,
      collation: null,
    };
    expect(o['column app.users.id']).toEqual({
      ...column,
      id: 'column app.users.id',
      table: 'app.users',
      position: 1,
      type: 'bigint',
      nullable: false,
      identity: 'by default',
    });
    expect(o['column app.users.name']).toMatchObject({
      position: 3,
      type: 'text',
      nullable: false,
      default: "''::text",
      collation: 'pg_catalog."C"',
    });
    expect(o['column app.users.search']).toMatchObject({
      default: null,
      generated: 'lower(name)',
      generatedKind: 'stored',
    });
    expect(o['column app.orders.id']).toMatchObject({ default: "nextval('app.orders_id_seq'::regclass)" });
    expect(o['column app.orders.total']).toMatchObject({ type: 'numeric(12,2)', nullable: true });
    expect(o['column app.orders.status']).toMatchObject({ type: 'app.status', default: "'draft'::app.status" });

    expect(o['constraint app.orders.orders_user_id_fkey']).toEqual({
      objectType: 'constraint',
      id: 'constraint app.orders.orders_user_id_fkey',
      table: 'app.orders',
      type: 'foreign key',
      definition: 'FOREIGN KEY (user_id) REFERENCES app.users(id) ON UPDATE RESTRICT ON DELETE CASCADE',
      validated: true,
      deferrable: false,
      deferred: false,
      references: 'app.users',
      onUpdate: 'restrict',
      onDelete: 'cascade',
    });
    expect(o['constraint app.orders.orders_total_positive']).toMatchObject({
      type: 'check',
      definition: 'CHECK ((total > (0)::numeric))',
      validated: false,
    });
    expect(o['constraint app.orders.orders_no_overlap']).toMatchObject({
      type: 'exclusion',
      definition: 'EXCLUDE USING gist (period WITH &&)',
    });
    expect(o['index app.orders_open_idx']).toEqual({
      objectType: 'index',
      id: 'index app.orders_open_idx',
      table: 'app.orders',
      definition:
        "CREATE INDEX orders_open_idx ON app.orders USING btree (user_id) WHERE (status <> 'closed'::app.status)",
      unique: false,
      valid: true,
      predicate: "(status <> 'closed'::app.status)",
    });

    expect(o['table app.events']).toMatchObject({ kind: 'partitioned table', partitionKey: 'RANGE (at)' });
    expect(o['table app.events_2024']).toMatchObject({
      kind: 'table',
      partitionOf: 'app.events',
      partitionBound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    });
    expect(o['table app.users']).toMatchObject({ rowSecurity: true, forceRowSecurity: true });
    expect(o['enum app.status']).toEqual({
      objectType: 'enum',
      id: 'enum app.status',
      labels: ['draft', 'open', 'closed'],
    });
    expect(o['domain app.email']).toEqual({
      objectType: 'domain',
      id: 'domain app.email',
      baseType: 'text',
      nullable: false,
      default: null,
      collation: null,
      constraints: ["email_check CHECK ((VALUE ~~ '%@%'::text))"],
    });
    expect(o['sequence app.invoice_no']).toMatchObject({
      dataType: 'integer',
      start: '1000',
      increment: '5',
      min: '1000',
      max: '999999',
      cycle: true,
      ownedBy: null,
    });
    expect(o['sequence app.orders_id_seq']).toMatchObject({ ownedBy: 'app.orders.id' });
    expect(o['view app.open_orders']).toMatchObject({ definition: expect.stringContaining('FROM app.orders') });
    expect(o['materialized view app.order_totals']).toMatchObject({ definition: expect.stringContaining('GROUP BY') });
    expect(o['function app.touch()']).toMatchObject({
      returns: 'trigger',
      language: 'plpgsql',
      volatility: 'volatile',
      definition: expect.stringMatching(
        /^CREATE OR REPLACE FUNCTION app\.touch\(\)\n RETURNS trigger\n LANGUAGE plpgsql\nAS \$function\$\n  begin\n/,
      ),
    });
    expect(o['procedure app.close_order(integer)']).toMatchObject({
      arguments: 'IN order_id integer',
      returns: null,
      language: 'sql',
    });
    expect(o['trigger app.users.users_touch']).toMatchObject({
      enabled: 'origin',
      definition: 'CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()',
    });
    expect(o['policy app.users.users_self']).toMatchObject({
      command: 'select',
      permissive: true,
      roles: ['public'],
      using: '(id = 1)',
      withCheck: null,
    });
    expect(o['policy app.users.users_insert']).toMatchObject({
      command: 'insert',
      permissive: false,
      using: null,
      withCheck: "((email)::text ~~ '%@example.com'::text)",
    });
  });

  it('is deterministic: the same twice, and the same for the same DDL run in another order', async () => {
    const first = await scratchWith(...fixtureSql);
    const f = fixture;
    const second = await scratchWith(
      f.schema,
      f.controlPlane,
      f.domain,
      f.enum,
      f.users,
      f.rls,
      f.events,
      f.orders,
      f.functions,
      f.trigger,
      f.index,
      f.materializedView,
      f.view,
      f.sequence,
      f.extension,
    );
    const a = await introspectSchema(first.pool);
    expect(JSON.stringify(await introspectSchema(first.pool))).toBe(JSON.stringify(a));
    expect(JSON.stringify(await introspectSchema(second.pool))).toBe(JSON.stringify(a));
  });

  it('includes the control-plane schemas when excludeSchemas replaces the default list', async () => {
    const { pool } = await scratchWith(fixture.controlPlane);
    const ids = Object.keys((await introspectSchema(pool, { excludeSchemas: ['netlify'] })).objects);
    expect(ids).toContain('table schemagate.proposals');
    expect(ids.filter((id) => id.includes('netlify'))).toEqual([]);
  });

  it("works on a client and gives it back the caller's search_path", async () => {
    const { pool } = await scratchWith(...fixtureSql);
    const client = await pool.connect();
    try {
      await client.query('set search_path = app, public');
      const model = await introspectSchema(client);
      expect(JSON.stringify(model)).toBe(JSON.stringify(await introspectSchema(pool)));
      expect((await client.query('show search_path')).rows).toEqual([{ search_path: 'app, public' }]);
    } finally {
      client.release();
    }
  });

  it('reads the real catalog on a session whose SQL put look-alikes of it in pg_temp', async () => {
    const { pool } = await scratchWith(...fixtureSql);
    const client = await pool.connect();
    try {
      // Relations in pg_temp are found before pg_catalog unless the path names pg_temp last.
      await client.query('begin');
      for (const catalog of ['pg_class', 'pg_namespace', 'pg_constraint', 'pg_index', 'pg_proc', 'pg_type']) {
        await client.query(`create temp table ${catalog} as select * from pg_catalog.${catalog} where false`);
      }
      const model = await introspectSchema(client);
      await client.query('rollback');
      expect(JSON.stringify(model)).toBe(JSON.stringify(await introspectSchema(pool)));
    } finally {
      client.release();
    }
  });

  it('quotes identifiers in ids as Postgres would', async () => {
    const { pool } = await scratchWith(`create schema "My App"; create table "My App"."Users" ("E-mail" text)`);
    const ids = Object.keys((await introspectSchema(pool)).objects);
    expect(ids).toEqual([
      'column "My App"."Users"."E-mail"',
      'extension plpgsql',
      'schema "My App"',
      'schema public',
      'table "My App"."Users"',
    ]);
  });

  it('models a foreign key to a partitioned table once, not once per referenced partition', async () => {
    const { pool } = await scratchWith(`
      create table p (id int primary key) partition by range (id);
      create table p1 partition of p for values from (0) to (10);
      create table p2 partition of p for values from (10) to (20);
      create table r (p_id int references p)`);
    const ids = Object.keys((await introspectSchema(pool)).objects).filter((id) =>
      id.startsWith('constraint public.r.'),
    );
    expect(ids).toEqual(['constraint public.r.r_p_id_fkey']);
  });
});
