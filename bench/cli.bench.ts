/**
 * CLI start-up, process against process: `schemagate --help` and `lint` of one
 * small file against a bare `node -e 0` and a one-line .ts script (the cost of
 * type stripping), and against squawk on the same file
 * when SQUAWK_BIN is set. BENCH_COMPARE_ROOT=<another checkout> runs the same
 * commands from that tree too (an older commit: before and after, one run).
 *
 *   npx node bench/cli.bench.ts
 *   SQUAWK_BIN=/path/to/squawk BENCH_COMPARE_ROOT=/tmp/old-checkout npx node bench/cli.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, quantile } from './stats.ts';

const runs = Number(process.env.BENCH_RUNS ?? 7);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'schemagate-cli-bench-'));
const file = join(dir, 'one.sql');
writeFileSync(
  file,
  'create table notes (id bigint generated always as identity primary key, body text not null);\ncreate index notes_body on notes (body);\n',
);

interface Timing {
  label: string;
  medianMs: number;
  /** Median CPU time (user + system) the process reported for itself: steadier than wall time on a busy machine. */
  cpuMs: number;
  maxRssMb: number;
}

const specs: Array<{ timing: Timing; command: string; args: string[]; wall: number[]; cpu: number[] }> = [];

/** A command to time; `measure()` fills in its median wall time and peak RSS. */
function time(label: string, command: string, args: string[]): Timing {
  const timing: Timing = { label, medianMs: 0, cpuMs: 0, maxRssMb: 0 };
  specs.push({ timing, command, args, wall: [], cpu: [] });
  return timing;
}

/**
 * `runs` fresh processes of each command (after one warm-up for the page cache), taken in turns,
 * so that a machine busy with other work slows every command alike rather than whichever ran then.
 */
function measure(): void {
  for (let i = 0; i <= runs; i++) {
    for (const spec of specs) {
      const start = performance.now();
      const child = spawnSync(spec.command, spec.args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      const elapsed = performance.now() - start;
      if (child.error) throw child.error;
      if (child.status !== 0 && child.status !== 1)
        throw new Error(`${spec.timing.label} exited ${child.status}: ${child.stderr}`);
      if (i > 0) spec.wall.push(elapsed);
      const reported = /maxrss=(\d+)/.exec(child.stderr ?? '')?.[1];
      if (reported) spec.timing.maxRssMb = Math.max(spec.timing.maxRssMb, Number(reported) / 1024);
      const cpu = /cpu=(\d+)/.exec(child.stderr ?? '')?.[1];
      if (cpu && i > 0) spec.cpu.push(Number(cpu) / 1000);
    }
  }
  for (const spec of specs) {
    spec.timing.medianMs = median(spec.wall);
    spec.timing.cpuMs = quantile(spec.cpu, 0.5) ?? 0;
  }
}

// Reports the process's peak RSS on stderr at exit, without changing what it runs.
const rssProbe = join(dir, 'rss.mjs');
writeFileSync(
  rssProbe,
  "process.once('exit', () => { const u = process.resourceUsage(); process.stderr.write(`maxrss=${u.maxRSS} cpu=${u.userCPUTime + u.systemCPUTime}\\n`); });\n",
);
const node = process.execPath;
const cli = (checkout: string, ...args: string[]) => [
  '--import',
  rssProbe,
  join(checkout, 'bin', 'schemagate.js'),
  ...args,
];

// Node strips the types of every .ts file it loads (amaro, WebAssembly): a one-line .ts script is the
// floor for a CLI that runs from its TypeScript sources.
const trivial = join(dir, 'trivial.ts');
writeFileSync(trivial, 'const answer: number = 0;\nprocess.exitCode = answer;\n');
const results: Timing[] = [];
const baseline = time('node -e 0 (baseline)', node, ['--import', rssProbe, '-e', '0']);
const trivialTs = time('node trivial.ts (baseline)', node, ['--import', rssProbe, trivial]);
results.push(baseline, trivialTs);
const help = time('schemagate --help', node, cli(root, '--help'));
const lint = time('schemagate lint one.sql', node, cli(root, 'lint', file));
results.push(help, lint);
const compare = process.env.BENCH_COMPARE_ROOT;
const before = compare
  ? {
      help: time('compared checkout --help', node, cli(compare, '--help')),
      lint: time('compared checkout lint one.sql', node, cli(compare, 'lint', file)),
    }
  : undefined;
if (before) results.push(before.help, before.lint);
const squawk = process.env.SQUAWK_BIN ? time('squawk one.sql', process.env.SQUAWK_BIN, [file]) : undefined;
if (squawk) results.push(squawk);
measure();

console.log(`${runs} runs each, in turns, median wall time of a fresh process:`);
for (const r of results) {
  console.log(
    `  ${r.label.padEnd(34)} ${r.medianMs.toFixed(0).padStart(6)} ms${r.cpuMs ? `  cpu ${r.cpuMs.toFixed(0).padStart(5)} ms` : ''}${r.maxRssMb ? `  ${r.maxRssMb.toFixed(0).padStart(4)} MB peak` : ''}`,
  );
}
const ratio = (a: Timing, b: Timing) => `${(a.medianMs / b.medianMs).toFixed(2)}x`;
console.log('ratios:');
console.log(`  --help / bare node          ${ratio(help, baseline)}`);
const cpuRatio = (a: Timing, b: Timing) => `${(a.cpuMs / b.cpuMs).toFixed(2)}x`;
console.log(
  `  --help / node trivial.ts    ${ratio(help, trivialTs)}  cpu ${cpuRatio(help, trivialTs)}   (target: --help under 150 ms: ${help.medianMs < 150 ? 'met' : 'NOT met'})`,
);
console.log(`  lint / bare node            ${ratio(lint, baseline)}`);
if (squawk) console.log(`  lint / squawk               ${ratio(lint, squawk)}`);
else console.log('  lint / squawk               (set SQUAWK_BIN to compare)');
if (before) {
  console.log(`  --help / compared checkout  ${ratio(help, before.help)}  cpu ${cpuRatio(help, before.help)}`);
  console.log(`  lint / compared checkout    ${ratio(lint, before.lint)}`);
}
