import type { TableSize } from '../preview/measure.ts';
import type { PreviewResult } from '../preview/preview.ts';
import { workloadReportLines } from '../preview/workload-report.ts';
import { renderDiffMarkdown, renderDriftMarkdown } from '../schema/render.ts';
import { renderFindingsMarkdown } from '../sql/render-markdown.ts';
import type { AnalysisResult } from '../sql/types.ts';

export interface ReportInput {
  proposal: {
    id: string;
    title: string;
    description: string | null;
    agent: string;
    revision: number;
    sha256: string;
    migrationPath: string;
  };
  /** What the preview job stored: `{ analysis, preview, production_head }`. */
  result: { analysis?: AnalysisResult; preview?: PreviewResult | null; production_head?: string } | null;
}

/** Marks the body as schemagate's, so it is edited in place and never confused with a human's. */
export const reportMarker = '<!-- schemagate-report -->';

/**
 * The review report a pull request carries: what the agent asked for, the
 * risk class and findings with their fixes, what the preview did on a copy of
 * production, and the exact bytes (sha256) an approval lets through.
 *
 * @example
 * const body = renderReport({ proposal, result: run.result });
 */
export function renderReport({ proposal, result }: ReportInput): string {
  const analysis = result?.analysis;
  const preview = result?.preview ?? undefined;
  const out = [
    reportMarker,
    `## ${proposal.title}`,
    '',
    ...(proposal.description ? [proposal.description, ''] : []),
    `Proposed by agent **${proposal.agent}** · revision ${proposal.revision} · \`${proposal.migrationPath}\``,
    '',
    '### Findings',
    '',
    // The findings section opens with the risk class.
    analysis ? renderFindingsMarkdown(analysis) : '**Risk class: unknown** — no analysis.\n',
    '### Preview on a copy of production',
    '',
    ...previewSection(preview),
    '### Approval',
    '',
    `Approving this pull request approves exactly this SQL: sha256 \`${proposal.sha256}\`` +
      (result?.production_head
        ? `, previewed against production head \`${result.production_head.slice(0, 12)}\``
        : '') +
      '. Any new commit voids earlier approvals.',
    '',
  ];
  return out.join('\n');
}

function previewSection(preview: PreviewResult | undefined): string[] {
  if (!preview) return ['_Not run._', ''];
  const out: string[] = [];
  const apply = preview.apply;
  if (apply) {
    out.push(
      `Applied ${apply.ok ? 'successfully' : '**with an error**'} as \`${apply.role}\` in ${ms(apply.durationMs)} (${apply.mode}).`,
      '',
    );
    if (apply.error)
      out.push(
        `> \`${apply.error.code}\` at line ${apply.error.line}, column ${apply.error.column}: ${apply.error.message}`,
        '',
      );
    out.push(
      '| # | Statement | Time | Locks | Rewritten | Rows | Tables: preview branch · production |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const s of apply.statements) {
      const locks = s.locks.map((l) => `${l.mode} on ${l.relation}`).join(', ') || '—';
      const tables = s.tables.map(tableSizeText).join('; ') || '—';
      out.push(
        `| ${s.index + 1} | \`${cell(s.kind)}\` line ${s.line} | ${ms(s.durationMs)} | ${cell(locks)} | ${s.rewritten.join(', ') || '—'} | ${s.rowCount ?? '—'} | ${cell(tables)} |`,
      );
    }
    out.push('');
  }
  out.push('#### Schema changes', '', preview.diff ? renderDiffMarkdown(preview.diff) : '_No diff._', '');
  out.push('#### Production queries', '', ...workloadReportLines(preview), '');
  out.push('#### Replay of the whole history', '');
  if (!preview.replay) out.push(`_${skipped(preview, 'replay')}_`, '');
  else if (preview.replay.ok)
    out.push('The history plus this migration, replayed on an empty database, gives the same schema.', '');
  else out.push(renderDriftMarkdown({ changes: preview.replay.drift }), '');
  out.push('#### Reversibility', '');
  if (!preview.reversibility) out.push(`_${skipped(preview, 'reversibility')}_`, '');
  else if (preview.reversibility.ok) out.push('The down migration returns the schema to where it started.', '');
  else
    out.push(
      'The down migration leaves differences:',
      '',
      renderDiffMarkdown({ changes: preview.reversibility.remaining }),
      '',
    );
  return out;
}

/** The branch holds a sample unless the base is a full copy: production's figure is the one that predicts the lock. */
function tableSizeText(t: TableSize): string {
  const branch = `${t.rows ?? t.estimatedRows ?? '?'} rows`;
  if (!t.production) return `${t.table}: ${branch} · production unknown`;
  const rows = t.production.estimatedRows === null ? 'unknown rows' : `~${t.production.estimatedRows} rows`;
  return `${t.table}: ${branch} · ${rows}, ${formatBytes(t.production.totalBytes)}`;
}

function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MB`;
  return n >= 1024 ? `${Math.round(n / 1024)} kB` : `${n} B`;
}

const skipped = (preview: PreviewResult, name: string) =>
  preview.steps.find((s) => s.name === name)?.skipped ?? 'Not run.';
const ms = (value: number) => `${Math.round(value)} ms`;
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
