/** A history that looks like a real application's: mostly tables and indexes, some enums, functions, views and column changes. */
export function syntheticHistory(count: number): Array<{ name: string; sql: string }> {
  const history: Array<{ name: string; sql: string }> = [];
  let tables = 0;
  for (let i = 0; i < count; i++) {
    const t = Math.max(tables - 1, 0);
    let sql: string;
    switch (i % 8) {
      case 0:
      case 4:
        sql = `create table t${tables} (id bigint generated always as identity primary key, name text not null, created_at timestamptz not null default now()${tables > 0 ? `, parent_id bigint references t${tables - 1} (id)` : ''});`;
        tables++;
        break;
      case 1:
        sql = `create index t${t}_name_${i} on t${t} (name);`;
        break;
      case 2:
        sql = `create type status_${i} as enum ('new', 'active', 'closed');\nalter table t${t} add column status_${i} status_${i} not null default 'new';`;
        break;
      case 3:
        sql = `create or replace function touch_${i}() returns trigger language plpgsql as $$ begin new.created_at := now(); return new; end $$;\ncreate trigger t${t}_touch_${i} before update on t${t} for each row execute function touch_${i}();`;
        break;
      case 5:
        sql = `alter table t${t} add column amount_${i} numeric(12, 2);\nalter table t${t} add constraint t${t}_amount_${i}_positive check (amount_${i} >= 0);`;
        break;
      case 6:
        sql = `create view v_${i} as select id, name from t${t} where name <> '';`;
        break;
      default:
        sql = `comment on table t${t} is 'table ${t}, migration ${i}';\ncreate unique index t${t}_name_created_${i} on t${t} (name, created_at);`;
    }
    history.push({ name: `${String(i).padStart(4, '0')}_step`, sql });
  }
  return history;
}
