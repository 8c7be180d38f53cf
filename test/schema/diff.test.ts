import { describe, expect, it } from 'vitest';
import { diffSchemas, schemasEqual, type SchemaDiff } from '../../src/schema/diff.ts';
import { introspectSchema } from '../../src/schema/introspect.ts';
import { renderDriftMarkdown } from '../../src/schema/render.ts';
import { diffOf, scratchWith } from './schema-fixture.ts';

const base = `
  create type mood as enum ('sad', 'ok');
  create table users (id int primary key, email varchar(100), name text not null default 'x');
  create table orders (id int primary key, user_id int);
  alter table orders add constraint orders_user_fk foreign key (user_id) references users not valid;
  create view active_users as select id from users;
  create function score(n integer) returns integer language sql immutable as $$ select n * 2 $$;
  create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
  create trigger users_touch before update on users for each row execute function touch();
  create policy own on users using (id = 1);
  create sequence counter;
`;

/** [kind, id, details] per change: what a reviewer is shown. */
const summary = (diff: SchemaDiff) => diff.changes.map((c) => [c.kind, c.id, c.details ?? []]);

describe('diffSchemas', () => {
  it.each([
    ['add a column', 'alter table users add column age int', [['added', 'column public.users.age', []]]],
    ['drop a column', 'alter table users drop column name', [['removed', 'column public.users.name', []]]],
    [
      'change a column type',
      'alter table users alter column email type text',
      [['changed', 'column public.users.email', ['type: character varying(100) -> text']]],
    ],
    [
      'make a column NOT NULL',
      'alter table users alter column email set not null',
      [['changed', 'column public.users.email', ['nullable: true -> false']]],
    ],
    [
      'change a default',
      `alter table users alter column name set default 'y'`,
      [['changed', 'column public.users.name', [`default: 'x'::text -> 'y'::text`]]],
    ],
    [
      'drop a default',
      'alter table users alter column name drop default',
      [['changed', 'column public.users.name', [`default: 'x'::text -> none`]]],
    ],
    [
      'validate a NOT VALID constraint',
      'alter table orders validate constraint orders_user_fk',
      [['changed', 'constraint public.orders.orders_user_fk', ['validated: false -> true']]],
    ],
    [
      'change a foreign key action',
      `alter table orders drop constraint orders_user_fk,
         add constraint orders_user_fk foreign key (user_id) references users on delete cascade not valid`,
      [
        [
          'changed',
          'constraint public.orders.orders_user_fk',
          [
            'definition: FOREIGN KEY (user_id) REFERENCES public.users(id) -> FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE',
            'on delete: no action -> cascade',
          ],
        ],
      ],
    ],
    ['add an index', 'create index users_email_idx on users (email)', [['added', 'index public.users_email_idx', []]]],
    [
      'add an enum label',
      `alter type mood add value 'happy'`,
      [['changed', 'enum public.mood', ['labels: (sad, ok) -> (sad, ok, happy)']]],
    ],
    [
      'change a view definition',
      'create or replace view active_users as select id from users where id > 0',
      [['changed', 'view public.active_users', ['definition changed']]],
    ],
    [
      'change a function body',
      'create or replace function score(n integer) returns integer language sql immutable as $$ select n * 3 $$',
      [['changed', 'function public.score(integer)', ['definition changed']]],
    ],
    [
      'change a function volatility',
      'alter function score(integer) stable',
      [['changed', 'function public.score(integer)', ['volatility: immutable -> stable', 'definition changed']]],
    ],
    [
      'disable a trigger',
      'alter table users disable trigger users_touch',
      [['changed', 'trigger public.users.users_touch', ['enabled: origin -> disabled']]],
    ],
    ['drop a trigger', 'drop trigger users_touch on users', [['removed', 'trigger public.users.users_touch', []]]],
    [
      'change a policy',
      'alter policy own on users using (id = 2)',
      [['changed', 'policy public.users.own', ['using: (id = 1) -> (id = 2)']]],
    ],
    [
      'add a policy',
      'create policy mine on users for update to public with check (id > 0)',
      [['added', 'policy public.users.mine', []]],
    ],
    [
      'enable row level security',
      'alter table users enable row level security',
      [['changed', 'table public.users', ['row security: false -> true']]],
    ],
    [
      'alter a sequence',
      'alter sequence counter increment 5 cycle',
      [['changed', 'sequence public.counter', ['increment: 1 -> 5', 'cycle: false -> true']]],
    ],
    ['add an extension (without its objects)', 'create extension citext', [['added', 'extension citext', []]]],
    [
      'add a table',
      'create table tags (id int primary key, label text)',
      [
        ['added', 'table public.tags', []],
        ['added', 'column public.tags.id', []],
        ['added', 'column public.tags.label', []],
        ['added', 'constraint public.tags.tags_pkey', []],
      ],
    ],
  ])('reports what changed when you %s', async (_name, change, expected) => {
    const diff = await diffOf(base, change);
    expect(summary(diff)).toEqual(expected);
  });

  it('reports an index left INVALID by a failed CREATE INDEX CONCURRENTLY', async () => {
    const { pool } = await scratchWith(base, `insert into users (id, email) values (1, 'a'), (2, 'a')`);
    const before = await introspectSchema(pool);
    await expect(pool.query('create unique index concurrently users_email_key on users (email)')).rejects.toMatchObject(
      { code: '23505' },
    );
    const diff = diffSchemas(before, await introspectSchema(pool));
    expect(summary(diff)).toEqual([['added', 'index public.users_email_key', []]]);
    expect(diff.changes[0]?.after).toMatchObject({ unique: true, valid: false });
  });

  it('reports a changed column order but not the shift a dropped column causes', async () => {
    const one = await scratchWith('create table t (a int, b int, c int)');
    const two = await scratchWith('create table t (b int, a int)');
    const diff = diffSchemas(await introspectSchema(one.pool), await introspectSchema(two.pool));
    expect(summary(diff)).toEqual([
      ['changed', 'table public.t', ['column order: (a, b) -> (b, a)']],
      ['removed', 'column public.t.c', []],
    ]);
  });

  it('gives an equal schema after an up migration and its down', async () => {
    const { pool } = await scratchWith(base);
    const start = await introspectSchema(pool);
    await pool.query(`
      alter table users add column age int not null default 0;
      create index users_age_idx on users (age);
      alter table orders validate constraint orders_user_fk;
      create or replace function score(n integer) returns integer language sql immutable as $$ select n * 3 $$;
      create policy adults on users for select using (age >= 18);`);
    const up = await introspectSchema(pool);
    expect(schemasEqual(start, up)).toBe(false);
    await pool.query(`
      drop policy adults on users;
      create or replace function score(n integer) returns integer language sql immutable as $$ select n * 2 $$;
      drop index users_age_idx;
      alter table users drop column age;`);
    const down = await introspectSchema(pool);
    // The validation is not undone: a down that forgets it leaves a difference.
    expect(summary(diffSchemas(start, down))).toEqual([
      ['changed', 'constraint public.orders.orders_user_fk', ['validated: false -> true']],
    ]);
    await pool.query(`alter table orders drop constraint orders_user_fk,
      add constraint orders_user_fk foreign key (user_id) references users not valid`);
    expect(schemasEqual(start, await introspectSchema(pool))).toBe(true);
  });

  it('finds drift between the replayed history and a preview changed outside the migrations', async () => {
    const history = [base, 'alter table users add column age int'];
    const replayed = await scratchWith(...history);
    const preview = await scratchWith(...history, 'create index users_email_idx on users (email)');
    const drift = diffSchemas(await introspectSchema(replayed.pool), await introspectSchema(preview.pool));
    expect(renderDriftMarkdown(drift)).toContain('- `index public.users_email_idx`: only in the preview');
    await replayed.pool.query('create index users_email_idx on users (email)');
    expect(schemasEqual(await introspectSchema(replayed.pool), await introspectSchema(preview.pool))).toBe(true);
  });

  it('orders changes by object type, then id, whatever the input order', async () => {
    const diff = await diffOf(
      base,
      `
      create table zeta (id int);
      create index a_idx on users (email);
      create type alpha as enum ('x');
      alter table users add column zz int`,
    );
    expect(diff.changes.map((c) => c.id)).toEqual([
      'enum public.alpha',
      'table public.zeta',
      'column public.users.zz',
      'column public.zeta.id',
      'index public.a_idx',
    ]);
  });
});
