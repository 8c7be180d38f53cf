import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

// Runs a composite action's steps the way the Actions runner does, so that its
// shell steps are tested as written: each `run` in `bash --noprofile --norc
// -eo pipefail`, inputs and outputs through the environment and
// $GITHUB_OUTPUT, `if:` and `${{ }}` evaluated (the few forms action.yml uses;
// any other form throws). `uses:` steps are handed to the caller.

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string | number>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
  'working-directory'?: string;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

export interface StepRecord {
  name: string;
  ran: boolean;
  status: number | null;
  output: string;
  outputs: Record<string, string>;
  ms: number;
}

export interface RunContext {
  inputs: Record<string, string>;
  github: Record<string, unknown>;
  runner: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
}

export interface RunOptions {
  actionDir: string;
  workspace: string;
  inputs: Record<string, string>;
  github: Record<string, unknown>;
  runnerTemp: string;
  toolCache: string;
  env: NodeJS.ProcessEnv;
  /** What a `uses:` step does here: returns its outputs and may change PATH (as setup-node does). */
  uses: (
    step: Step,
    resolvedWith: Record<string, string>,
    context: RunContext,
    env: NodeJS.ProcessEnv,
  ) => Promise<Record<string, string>>;
}

function lookup(context: RunContext, expression: string): unknown {
  let value: unknown = context;
  for (const part of expression.trim().split('.')) {
    if (value === undefined || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function literal(text: string): string {
  const match = /^'(.*)'$/.exec(text.trim());
  if (!match) throw new Error(`the runner stand-in cannot evaluate ${text}`);
  return match[1]!;
}

/** `a == 'x'`, `a != 'x'`, a bare path (truthy), joined by `&&`. */
export function evaluate(expression: string, context: RunContext): unknown {
  const terms = expression.split('&&').map((term) => {
    const compare = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(term.trim());
    if (!compare) return lookup(context, term);
    const left = String(lookup(context, compare[1]!) ?? '');
    const equal = left === literal(compare[3]!);
    return compare[2] === '==' ? equal : !equal;
  });
  if (terms.length === 1) return terms[0];
  return terms.every(Boolean);
}

function substitute(text: string, context: RunContext): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return value === undefined || value === null ? '' : String(value);
  });
}

function condition(text: string | undefined, context: RunContext): boolean {
  if (text === undefined) return true;
  const bare = text.replace(/^\$\{\{(.*)\}\}$/s, '$1');
  const value = evaluate(bare, context);
  return Boolean(value) && value !== '' && value !== 'false';
}

function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

/**
 * Runs every step of `actionDir/action.yml` until one fails, as a job would.
 *
 * @example
 * const run = await runCompositeAction({ actionDir, workspace, inputs: { package: tarball }, ... });
 * run.steps.find((s) => s.name === 'Install schemagate')?.ran;
 */
export async function runCompositeAction(
  options: RunOptions,
): Promise<{ failed: boolean; steps: StepRecord[]; summary: string }> {
  const action = parse(await readFile(path.join(options.actionDir, 'action.yml'), 'utf8')) as Action;
  if (action.runs.using !== 'composite') throw new Error('not a composite action');
  const context: RunContext = {
    inputs: {},
    github: options.github,
    runner: { temp: options.runnerTemp, tool_cache: options.toolCache, os: 'Linux', arch: 'X64' },
    steps: {},
  };
  for (const [name, input] of Object.entries(action.inputs)) {
    context.inputs[name] = options.inputs[name] ?? substitute(input.default ?? '', context);
  }
  const work = await mkdtemp(path.join(options.runnerTemp, 'steps-'));
  const summary = path.join(work, 'summary.md');
  await writeFile(summary, '');
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    GITHUB_ACTION_PATH: options.actionDir,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: options.runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
  };
  const records: StepRecord[] = [];
  let index = 0;
  for (const step of action.runs.steps) {
    index += 1;
    const name = step.name ?? step.uses ?? `step ${index}`;
    if (!condition(step.if, context)) {
      records.push({ name, ran: false, status: null, output: '', outputs: {}, ms: 0 });
      continue;
    }
    let outputs: Record<string, string>;
    const started = performance.now();
    if (step.uses) {
      const resolved = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), context)]),
      );
      outputs = await options.uses(step, resolved, context, env);
      records.push({ name, ran: true, status: 0, output: '', outputs, ms: performance.now() - started });
    } else {
      if (step.shell !== 'bash') throw new Error(`${name}: only bash steps are run here`);
      const outputFile = path.join(work, `output-${index}`);
      await writeFile(outputFile, '');
      const script = path.join(work, `step-${index}.sh`);
      await writeFile(script, step.run ?? '');
      const stepEnv: NodeJS.ProcessEnv = { ...env, GITHUB_OUTPUT: outputFile };
      for (const [key, value] of Object.entries(step.env ?? {})) stepEnv[key] = substitute(value, context);
      const cwd = path.resolve(options.workspace, substitute(step['working-directory'] ?? '.', context));
      // Asynchronous: the GitHub stand-in may answer from this very process.
      const run = await runBash(script, cwd, stepEnv);
      outputs = parseOutputs(await readFile(outputFile, 'utf8'));
      records.push({
        name,
        ran: true,
        status: run.status,
        output: `${run.stdout}${run.stderr}`,
        outputs,
        ms: performance.now() - started,
      });
      if (run.status !== 0) return { failed: true, steps: records, summary: await readFile(summary, 'utf8') };
    }
    if (step.id) context.steps[step.id] = { outputs };
  }
  return { failed: false, steps: records, summary: await readFile(summary, 'utf8') };
}

function runBash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * actions/cache as a directory of saved entries: restores an exact key and
 * reports `cache-hit`; `save` stores the path after the job when it missed,
 * as the action's post step does.
 */
export function directoryCache(root: string) {
  const pending: { key: string; from: string }[] = [];
  return {
    async restore(inputs: Record<string, string>): Promise<Record<string, string>> {
      const key = inputs.key!;
      const saved = path.join(root, key);
      if (existsSync(saved)) {
        await mkdir(path.dirname(inputs.path!), { recursive: true });
        await cp(saved, inputs.path!, { recursive: true, verbatimSymlinks: true });
        return { 'cache-hit': 'true' };
      }
      pending.push({ key, from: inputs.path! });
      return { 'cache-hit': 'false' };
    },
    async save(): Promise<void> {
      for (const { key, from } of pending.splice(0)) {
        if (existsSync(from)) await cp(from, path.join(root, key), { recursive: true, verbatimSymlinks: true });
      }
    },
  };
}
