import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CheckResult } from '../../check/check-result.ts';
import { renderCheckGithub } from '../../check/render/render-github.ts';
import { renderCheckJson } from '../../check/render/render-json.ts';
import { renderCheckJunit } from '../../check/render/render-junit.ts';
import { renderCheckMarkdown } from '../../check/render/render-markdown.ts';
import { renderCheckText } from '../../check/render/render-text.ts';
import { runCheck } from '../../check/run-check.ts';
import { severities, type Severity } from '../../sql/types.ts';
import { safeParseCommandArgs, usageFailure } from '../args.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { reportError } from '../output.ts';
import { checkUsage } from '../usage.ts';

const renderers: Record<string, (result: CheckResult) => string> = {
  text: renderCheckText,
  json: renderCheckJson,
  markdown: renderCheckMarkdown,
  junit: renderCheckJunit,
  github: renderCheckGithub,
};

/**
 * `schemagate check`: parses flags, runs `runCheck`, prints one format to
 * stdout and writes any `--report` files; the exit code is for CI.
 *
 * @example
 * const code = await checkCommand(['--base', 'origin/main', '--format', 'github', '--report', 'markdown=check.md'], processIO());
 */
export async function checkCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = safeParseCommandArgs(
    args,
    {
      dir: { type: 'string' },
      base: { type: 'string' },
      'production-url': { type: 'string' },
      'database-url': { type: 'string' },
      workload: { type: 'string' },
      config: { type: 'string' },
      'fail-level': { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      report: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    { positionals: false },
  );
  if (!parsed.ok) return usage(io, parsed.message);
  const { values } = parsed;
  if (values.help) return (io.stdout(checkUsage), exitCodes.ok);
  const format = values.json ? 'json' : (values.format ?? 'text');
  if (!renderers[format])
    return usage(io, `--format must be one of ${Object.keys(renderers).join(', ')}, got "${format}"`);
  const failLevel = values['fail-level'];
  if (failLevel !== undefined && !severities.includes(failLevel as Severity))
    return usage(io, `--fail-level must be one of ${severities.join(', ')}, got "${failLevel}"`);
  const reports: Array<{ format: string; file: string }> = [];
  for (const spec of values.report ?? []) {
    const [, reportFormat, file] = /^([a-z]+)=(.+)$/.exec(spec) ?? [];
    if (!reportFormat || !file || !renderers[reportFormat])
      return usage(
        io,
        `--report takes <format>=<file> with a format of ${Object.keys(renderers).join(', ')}, got "${spec}"`,
      );
    reports.push({ format: reportFormat, file: resolve(io.cwd, file) });
  }

  let result: CheckResult;
  try {
    const productionUrl = values['production-url'] ?? (io.env.PRODUCTION_DATABASE_URL || undefined);
    const databaseUrl = values['database-url'] ?? (io.env.SCHEMAGATE_CHECK_DATABASE_URL || undefined);
    const configPath = values.config ?? (io.env.SCHEMAGATE_CONFIG || undefined);
    result = await runCheck({
      dir: resolve(io.cwd, values.dir ?? '.'),
      ...(values.base !== undefined ? { base: values.base } : {}),
      ...(productionUrl ? { productionUrl } : {}),
      ...(databaseUrl ? { databaseUrl } : {}),
      ...(values.workload !== undefined ? { workloadFile: resolve(io.cwd, values.workload) } : {}),
      ...(configPath ? { configPath: resolve(io.cwd, configPath) } : {}),
      ...(failLevel ? { failLevel: failLevel as Severity } : {}),
      onProgress: (message) => io.stderr(`schemagate check: ${message}\n`),
    });
  } catch (error) {
    return reportError(io, error, format === 'json');
  }

  io.stdout(renderers[format]!(result));
  for (const report of reports) {
    try {
      await writeFile(report.file, renderers[report.format]!(result));
    } catch (error) {
      io.stderr(
        `schemagate check: cannot write --report ${report.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
      );
      return exitCodes.usage;
    }
  }
  return result.ok ? exitCodes.ok : exitCodes.failed;
}

const usage = (io: CliIO, message: string) => usageFailure(io, 'check', checkUsage, message);
