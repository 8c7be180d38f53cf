import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProposalView } from '../../client/api-client.ts';
import { waitFor, waitTargets, type WaitTarget } from '../../client/wait.ts';
import { AppError } from '../../errors.ts';
import { parseCommandArgs } from '../args.ts';
import { connect } from '../connection.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { printJson, table } from '../output.ts';
import { proposalsUsage } from '../usage.ts';

const connection = { url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } } as const;
const waiting = { until: { type: 'string' }, timeout: { type: 'string' } } as const;

export async function proposeCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...connection,
    ...waiting,
    title: { type: 'string' },
    description: { type: 'string' },
    down: { type: 'string' },
    name: { type: 'string' },
    'idempotency-key': { type: 'string' },
    wait: { type: 'boolean' },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0 || !values.title)
    throw new AppError('validation_failed', `propose needs one SQL file and --title\n${proposalsUsage}`);
  const sql = await readSql(io, file);
  const down = values.down === undefined ? undefined : await readSql(io, values.down);
  const api = connect(values, io.env, io.cwd);
  const proposal = await api.propose(
    {
      title: values.title,
      sql,
      ...(values.description ? { description: values.description } : {}),
      ...(down ? { down_sql: down } : {}),
      ...(values.name ? { name: values.name } : {}),
    },
    values['idempotency-key'],
  );
  if (!values.wait) {
    if (values.json) printJson(io, proposal);
    else
      io.stdout(
        `Proposed "${proposal.title}": ${proposal.id} (${proposal.status}, revision ${proposal.revision.number}, sha256 ${proposal.revision.sha256.slice(0, 12)})\n`,
      );
    return exitCodes.ok;
  }
  if (!values.json) io.stderr(`Proposed ${proposal.id}; waiting for ${values.until ?? 'awaiting_review'}\n`);
  return awaitProposal(io, api, proposal.id, values);
}

export async function statusCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, connection);
  const id = onlyId(positionals, 'status');
  const proposal = await connect(values, io.env, io.cwd).get(id);
  if (values.json) printJson(io, proposal);
  else io.stdout(describe(proposal));
  return exitCodes.ok;
}

export async function waitCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...connection, ...waiting });
  const id = onlyId(positionals, 'wait');
  return awaitProposal(io, connect(values, io.env, io.cwd), id, values);
}

export async function withdrawCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...connection, reason: { type: 'string' } });
  const id = onlyId(positionals, 'withdraw');
  const proposal = await connect(values, io.env, io.cwd).withdraw(id, values.reason);
  if (values.json) printJson(io, proposal);
  else io.stdout(`Withdrew ${proposal.id}.\n`);
  return exitCodes.ok;
}

export async function listCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...connection,
    status: { type: 'string' },
    limit: { type: 'string' },
  });
  if (positionals.length > 0) throw new AppError('validation_failed', `list takes no arguments\n${proposalsUsage}`);
  const page = await connect(values, io.env, io.cwd).list({
    status: values.status,
    limit: values.limit === undefined ? undefined : Number(values.limit),
  });
  if (values.json) printJson(io, page);
  else if (page.items.length === 0) io.stdout('No proposals.\n');
  else
    io.stdout(
      table([
        ['ID', 'STATUS', 'REV', 'TITLE'],
        ...page.items.map((p) => [p.id, p.status, String(p.revision), p.title]),
      ]),
    );
  return exitCodes.ok;
}

async function awaitProposal(
  io: CliIO,
  api: ReturnType<typeof connect>,
  id: string,
  values: { until?: string | undefined; timeout?: string | undefined; json?: boolean | undefined },
): Promise<number> {
  const until = (values.until ?? 'awaiting_review') as WaitTarget;
  if (!waitTargets.includes(until))
    throw new AppError('validation_failed', `--until must be one of ${waitTargets.join(', ')}`);
  const timeoutSeconds = Number(values.timeout ?? 600);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new AppError('validation_failed', '--timeout must be a positive number of seconds');
  const outcome = await waitFor(api, id, {
    until,
    timeoutMs: timeoutSeconds * 1000,
    onStatus: (status) => !values.json && io.stderr(`  ${new Date().toISOString().slice(11, 19)} ${status}\n`),
  });
  if (values.json) printJson(io, { reached: outcome.reached, until, proposal: outcome.proposal });
  else io.stdout(describe(outcome.proposal));
  return outcome.reached ? exitCodes.ok : exitCodes.failed;
}

interface Finding {
  code: string;
  severity: string;
  message: string;
  suggestion?: string;
  span: { line: number; column: number };
}

/** What an agent needs to act: status, risk, every finding with its fix, and where the review is. */
function describe(p: ProposalView): string {
  const lines = [
    `${p.id}  ${p.status}`,
    `  title:    ${p.title}`,
    `  revision: ${p.revision.number} (sha256 ${p.revision.sha256})`,
  ];
  const preview = p.preview as
    | {
        status: string;
        result: {
          analysis?: { findings: Finding[] };
          preview?: { apply?: { error?: Finding & { line: number; column: number } } };
        } | null;
      }
    | null
    | undefined;
  if (p.risk_class) lines.push(`  risk:     ${p.risk_class}`);
  if (preview) lines.push(`  preview:  ${preview.status}`);
  const failure = preview?.result?.preview?.apply?.error;
  if (failure) lines.push(`  error:    line ${failure.line}, column ${failure.column}: ${failure.message}`);
  for (const f of preview?.result?.analysis?.findings ?? []) {
    lines.push(`  ${f.severity.padEnd(7)} ${f.code} line ${f.span.line}:${f.span.column} ${f.message}`);
    if (f.suggestion) lines.push(`          fix: ${f.suggestion}`);
  }
  const review = p.review as { url: string | null; migration_path: string } | null | undefined;
  if (review) lines.push(`  review:   ${review.url ?? review.migration_path}`);
  return `${lines.join('\n')}\n`;
}

function onlyId(positionals: string[], command: string): string {
  if (positionals.length !== 1 || !positionals[0])
    throw new AppError('validation_failed', `${command} needs exactly one proposal id\n${proposalsUsage}`);
  return positionals[0];
}

async function readSql(io: CliIO, file: string): Promise<string> {
  try {
    return await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
