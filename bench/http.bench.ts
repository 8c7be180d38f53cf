/**
 * `schemagate serve` against a bare `node:http` server in the same process,
 * over loopback, with the same client: GET /api/health and POST
 * /api/proposals, sequential and at concurrency 20, plus 5,000 mixed valid and
 * hostile requests at concurrency 20 counted for 5xx. Bounded loops only.
 * BENCH_NETLIFY_DEV=1 also times a few requests through the @netlify/dev
 * emulation (`serve --netlify-dev`), the way `npm start` used to serve.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/http.bench.ts
 *
 * It creates one database named sg_bench_http_* and drops it at the end, also on failure.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { createAgent } from '../src/agents/agents.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/database/connection.ts';
import { migrateControlPlane } from '../src/database/migrate.ts';
import { databaseUrl, dropDatabase, quoteIdent, withClient } from '../src/database/server-admin.ts';
import { serve } from '../src/server/serve.ts';
import { quantile } from './stats.ts';

const serverUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sequential = Number(process.env.BENCH_SEQUENTIAL ?? 500);
const concurrentTotal = Number(process.env.BENCH_CONCURRENT ?? 2000);
const concurrency = 20;

interface Stats {
  p50: number;
  p99: number;
  perSecond: number;
  statuses: Map<number, number>;
}

/** Sends `total` requests from `workers` loops; each loop waits for its answer before the next. */
async function load(total: number, workers: number, send: (i: number) => Promise<Response>): Promise<Stats> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const res = await send(i);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = performance.now() - started;
  return {
    p50: quantile(latencies, 0.5)!,
    p99: quantile(latencies, 0.99)!,
    perSecond: (total / elapsed) * 1000,
    statuses,
  };
}

/** The floor: node:http answering the same shapes with no routing, no auth, no database. */
async function bareServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = req.method === 'POST' ? 202 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          req.method === 'POST'
            ? { id: 'x', status: 'received', bytes: Buffer.concat(chunks).length }
            : { status: 'ok' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const fmt = (s: Stats) =>
  `p50 ${s.p50.toFixed(2).padStart(7)} ms  p99 ${s.p99.toFixed(2).padStart(7)} ms  ${s.perSecond.toFixed(0).padStart(6)} req/s  ${[...s.statuses].map(([k, v]) => `${k}×${v}`).join(' ')}`;

const name = `sg_bench_http_${process.pid}`;
await withClient(serverUrl, (admin) => admin.query(`create database ${quoteIdent(name)}`));
const url = databaseUrl(serverUrl, name);
try {
  await migrateControlPlane(url);
  const database = openDatabase(url, { max: 1 });
  const { token } = await database.db.transaction((tx) =>
    createAgent(tx, { name: 'bench-agent', scopes: ['propose', 'read'] }),
  );
  await database.close();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const proposal = (i: number) =>
    JSON.stringify({ title: `Bench ${i}`, sql: `create table bench_${i} (id bigint primary key);` });

  // The functions read their configuration from the environment, as on Netlify. The per-agent
  // rate limit would turn most of a load run into 429s: this measures the server, not the limiter.
  process.env.SCHEMAGATE_RATE_LIMIT_REQUESTS = '100000000';
  const bare = await bareServer();
  const config = { ...loadConfig({ env: {}, cwd: tmpdir() }), port: 0, databaseUrl: url };
  const started = performance.now();
  const server = await serve(config, { log: () => {} });
  const ready = performance.now() - started;
  const firstStart = performance.now();
  const first = await fetch(`${server.url}/api/health`);
  await first.arrayBuffer();
  const firstMs = performance.now() - firstStart;

  const rows: Array<[string, Stats, Stats]> = [];
  const run = async (label: string, total: number, workers: number, path: string, post: boolean) => {
    const send = (base: string) => (i: number) =>
      fetch(`${base}${path}`, post ? { method: 'POST', headers, body: proposal(i) } : { headers });
    const b = await load(total, workers, send(bare.url));
    const s = await load(total, workers, send(server.url));
    rows.push([label, b, s]);
  };
  await run('GET /api/health, sequential', sequential, 1, '/api/health', false);
  await run(`GET /api/health, concurrency ${concurrency}`, concurrentTotal, concurrency, '/api/health', false);
  await run('POST /api/proposals, sequential', Math.ceil(sequential / 2), 1, '/api/proposals', true);
  await run(
    `POST /api/proposals, concurrency ${concurrency}`,
    Math.ceil(concurrentTotal / 4),
    concurrency,
    '/api/proposals',
    true,
  );

  // Valid and hostile requests mixed, as in the issue's load run: none may get a 5xx.
  const hostile: Array<(i: number) => [string, RequestInit]> = [
    () => ['/api/health', {}],
    () => ['/api/proposals?__proto__=1', { headers }],
    () => ['/api/proposals?limit=constructor', { headers }],
    () => ['/api/proposals/__proto__', { headers }],
    () => ['/api/nothing', {}],
    () => ['/api/proposals', { method: 'POST', headers, body: '{"title":' }],
    (i) => [
      '/api/proposals',
      { method: 'POST', headers, body: JSON.stringify({ title: `lone \ud800 ${i}`, sql: 'select 1;' }) },
    ],
    (i) => [
      '/api/proposals',
      {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: `Mixed ${i}`, sql: `create table mixed_${i} (id int primary key);` }),
      },
    ],
    () => ['/api/proposals', { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: 'x' }],
  ];
  const mixed = await load(5000, concurrency, (i) => {
    const [path, init] = hostile[i % hostile.length]!(i);
    return fetch(`${server.url}${path}`, init);
  });

  await server.close();
  await bare.close();

  console.log(`serve ready in ${ready.toFixed(0)} ms; first request after it answered in ${firstMs.toFixed(1)} ms`);
  for (const [label, b, s] of rows) {
    console.log(`${label}`);
    console.log(`  bare node:http  ${fmt(b)}`);
    console.log(`  schemagate      ${fmt(s)}`);
    console.log(
      `  ratio p50 ${(s.p50 / b.p50).toFixed(2)}x  p99 ${(s.p99 / b.p99).toFixed(2)}x  throughput ${(s.perSecond / b.perSecond).toFixed(2)}x of bare`,
    );
  }
  const fiveXx = [...mixed.statuses].filter(([k]) => k >= 500).reduce((n, [, v]) => n + v, 0);
  console.log(`5,000 mixed valid and hostile requests at concurrency ${concurrency}: ${fmt(mixed)}; 5xx: ${fiveXx}`);

  if (process.env.BENCH_NETLIFY_DEV === '1') {
    const emulated = await serve({ ...config }, { log: () => {}, netlifyDev: true });
    try {
      const s = await load(5, 1, () => fetch(`${emulated.url}/api/health`));
      console.log(`@netlify/dev emulation, GET /api/health sequential ×5: ${fmt(s)}`);
      console.log(`  in-process serve is ${(s.p50 / rows[0]![2].p50).toFixed(0)}x faster at p50`);
    } finally {
      await emulated.close();
    }
  }
} finally {
  await withClient(serverUrl, (admin) => dropDatabase(admin, name));
}
