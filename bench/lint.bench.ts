/**
 * Times `analyze` over a generated 10,000-statement migration (median of several runs) and,
 * when squawk is available (SQUAWK_BIN, node_modules/.bin/squawk or PATH), squawk on the same file.
 *
 *   node bench/lint.bench.ts
 *   SQUAWK_BIN=/tmp/squawk/node_modules/.bin/squawk node bench/lint.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../src/sql/analyze.ts';
import { defaultPolicy } from '../src/sql/policy.ts';
import { median } from './stats.ts';

const statementCount = 10_000;
const runs = 5;

/** A realistic mix: DDL on new and existing tables, indexes, backfills, functions, views. */
function generateMigration(count: number): string {
  const templates: Array<(n: number) => string> = [
    (n) =>
      `CREATE TABLE t${n} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  email varchar(200),\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
    (n) => `CREATE INDEX t${n - 1}_name_idx ON t${n - 1} (name);`,
    (n) => `ALTER TABLE users ADD COLUMN c${n} text;`,
    (n) => `ALTER TABLE orders ADD CONSTRAINT fk${n} FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;`,
    (n) => `UPDATE users SET c${n - 2} = 'x' WHERE id BETWEEN ${n} AND ${n + 1000};`,
    (n) => `CREATE INDEX idx_${n} ON accounts (lower(email)) WHERE deleted_at IS NULL;`,
    (n) =>
      `CREATE OR REPLACE VIEW v${n} AS SELECT u.id, count(o.id) AS orders FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id;`,
    (n) =>
      `CREATE FUNCTION touch_${n}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND $$;`,
    (n) => `ALTER TABLE users ALTER COLUMN c${n - 8} SET NOT NULL;`,
    (n) => `INSERT INTO settings (key, value) VALUES ('k${n}', '{"a": ${n}}'::jsonb) ON CONFLICT (key) DO NOTHING;`,
    (n) => `COMMENT ON TABLE t${n - 10} IS 'table ${n}';`,
    (n) => `-- schemagate:allow SG201 replaced by t${n}\nDROP TABLE IF EXISTS legacy_${n};`,
  ];
  const statements: string[] = [];
  for (let n = 0; n < count; n++) statements.push(templates[n % templates.length]!(n));
  return `${statements.join('\n\n')}\n`;
}

function findSquawk(): string | undefined {
  const candidates = [process.env.SQUAWK_BIN, join(process.cwd(), 'node_modules/.bin/squawk')];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (found) return found;
  const which = spawnSync('which', ['squawk'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

const sql = generateMigration(statementCount);
const file = join(mkdtempSync(join(tmpdir(), 'schemagate-bench-')), 'migration.sql');
writeFileSync(file, sql);

analyze(sql, defaultPolicy); // warm-up: JIT and the WebAssembly parser
const times: number[] = [];
let findings = 0;
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  findings = analyze(sql, defaultPolicy).findings.length;
  times.push(performance.now() - start);
}
const ours = median(times);
console.log(
  `migration: ${statementCount} statements, ${(Buffer.byteLength(sql) / 1024).toFixed(0)} KiB, ${findings} findings`,
);
console.log(
  `schemagate analyze: median ${ours.toFixed(1)} ms over ${runs} runs (${((ours * 1000) / statementCount).toFixed(1)} µs/statement)`,
);

const squawk = findSquawk();
if (!squawk) {
  console.log('squawk: not found (set SQUAWK_BIN or put squawk on PATH); no ratio');
} else {
  const squawkTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const child = spawnSync(squawk, [file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    squawkTimes.push(performance.now() - start);
    if (child.error) throw child.error;
  }
  const theirs = median(squawkTimes);
  console.log(`squawk ${squawk}: median ${theirs.toFixed(1)} ms over ${runs} runs (process spawn included)`);
  console.log(`ratio schemagate/squawk: ${(ours / theirs).toFixed(2)}x`);
}
