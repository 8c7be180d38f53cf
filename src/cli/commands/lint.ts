import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { analyze } from '../../sql/analyze.ts';
import { loadCheckPolicy } from '../../check/check-policy.ts';
import { failingFindings } from '../../check/check-result.ts';
import { AppError } from '../../errors.ts';
import type { Policy } from '../../sql/policy.ts';
import { renderGithubAnnotations } from '../../sql/render-github.ts';
import { renderFindingsText } from '../../sql/render-text.ts';
import { severities, type AnalysisResult, type Severity } from '../../sql/types.ts';
import { safeParseCommandArgs, usageFailure } from '../args.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { lintUsage } from '../usage.ts';

const formats = ['text', 'json', 'github'] as const;

/**
 * `schemagate lint`: analyze each file and print findings; the exit code is for CI.
 *
 * @example
 * const code = await lintCommand(['migrations/001.sql', '--format', 'github'], processIO());
 */
export async function lintCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = safeParseCommandArgs(args, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    'fail-level': { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (!parsed.ok) return usage(io, parsed.message);
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(lintUsage);
    return exitCodes.ok;
  }
  const format = values.json ? 'json' : (values.format ?? 'text');
  if (!formats.includes(format as (typeof formats)[number]))
    return usage(io, `--format must be one of ${formats.join(', ')}, got "${format}"`);
  const failLevelFlag = values['fail-level'];
  if (failLevelFlag !== undefined && !severities.includes(failLevelFlag as Severity)) {
    return usage(io, `--fail-level must be one of ${severities.join(', ')}, got "${failLevelFlag}"`);
  }
  if (positionals.length === 0) return usage(io, 'no migration files given');

  // The same policy `check` and the service use: --config, else ./schemagate.config.json, else the defaults.
  let policy: Policy;
  try {
    policy = await loadCheckPolicy(io.cwd, values.config === undefined ? undefined : resolve(io.cwd, values.config));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.stderr(`schemagate lint: ${error.message}\n`);
    return exitCodes.usage;
  }
  const failLevel = (failLevelFlag as Severity | undefined) ?? policy.failLevel;

  const results: Array<{ file: string; result: AnalysisResult }> = [];
  for (const file of positionals) {
    const path = resolve(io.cwd, file);
    let sql: string;
    try {
      sql = await readFile(path, 'utf8');
    } catch (error) {
      io.stderr(
        `schemagate lint: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
      );
      return exitCodes.usage;
    }
    const shown = isAbsolute(file) ? relative(io.cwd, path) || file : file;
    results.push({ file: shown, result: analyze(sql, policy) });
  }

  if (format === 'json')
    io.stdout(
      `${JSON.stringify({ failLevel, files: results.map(({ file, result }) => ({ file, ...result })) }, null, 2)}\n`,
    );
  for (const { file, result } of results) {
    if (format === 'text') io.stdout(renderFindingsText(result, file));
    if (format === 'github') io.stdout(renderGithubAnnotations(result, file));
  }
  const failing = results.some(({ result }) => failingFindings(result.findings, failLevel).length > 0);
  return failing ? exitCodes.failed : exitCodes.ok;
}

const usage = (io: CliIO, message: string) => usageFailure(io, 'lint', lintUsage, message);
