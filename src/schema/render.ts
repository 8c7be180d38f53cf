import { formatValue, isBlockValue, type AttributeChange, type SchemaChange, type SchemaDiff } from './diff.ts';
import { lineDiff } from './line-diff.ts';
import { objectTypes, type ObjectType } from './model.ts';

const headings: Record<ObjectType, string> = {
  schema: 'Schemas',
  extension: 'Extensions',
  enum: 'Enums',
  domain: 'Domains',
  sequence: 'Sequences',
  table: 'Tables',
  column: 'Columns',
  constraint: 'Constraints',
  index: 'Indexes',
  view: 'Views',
  'materialized view': 'Materialized views',
  function: 'Functions',
  procedure: 'Procedures',
  trigger: 'Triggers',
  policy: 'Policies',
};

const marks = { added: '+', removed: '-', changed: '~' } as const;

/**
 * One line per change, for terminals and logs.
 *
 * @example
 * renderDiffText(diff);
 * // + table public.orders
 * // ~ column public.users.email: type character varying(100) -> text
 * // - index public.old_idx
 */
export function renderDiffText(diff: SchemaDiff): string {
  if (diff.changes.length === 0) return 'No schema changes.';
  return diff.changes
    .map((change) => {
      const line = `${marks[change.kind]} ${change.id}`;
      if (!change.attributes) return line;
      return `${line}: ${change.attributes.map((attribute) => inlineText(attribute)).join('; ')}`;
    })
    .join('\n');
}

/**
 * A markdown section for a pull request body, grouped by object type; long or
 * multi-line values (view and function definitions) are shown as a line diff.
 *
 * @example
 * const body = `${summary}\n\n${renderDiffMarkdown(diffSchemas(before, after))}`;
 */
export function renderDiffMarkdown(diff: SchemaDiff): string {
  const lines = ['### Schema changes', ''];
  if (diff.changes.length === 0) return [...lines, 'No schema changes.'].join('\n');
  const count = (kind: SchemaChange['kind']) => diff.changes.filter((change) => change.kind === kind).length;
  lines.push(`${count('added')} added, ${count('removed')} removed, ${count('changed')} changed.`);
  for (const objectType of objectTypes) {
    const changes = diff.changes.filter((change) => change.objectType === objectType);
    if (changes.length === 0) continue;
    lines.push('', `#### ${headings[objectType]}`, '');
    for (const change of changes) lines.push(...changeMarkdown(change));
  }
  return lines.join('\n');
}

/**
 * Names the objects that differ between the replayed migration history and the
 * preview. Pass `diffSchemas(replayed, preview)`: `added` means only in the
 * preview, `removed` only in the history.
 *
 * @example
 * const drift = diffSchemas(await introspectSchema(replayPool), await introspectSchema(previewPool));
 * report.push(renderDriftMarkdown(drift));
 */
export function renderDriftMarkdown(diff: SchemaDiff): string {
  const lines = ['### Schema drift', ''];
  if (diff.changes.length === 0) {
    return [...lines, "No drift: replaying the migration history from empty gives the preview's schema."].join('\n');
  }
  const n = diff.changes.length;
  lines.push(
    `Replaying the migration history from empty does not give the preview's schema: ${n} ${n === 1 ? 'object differs' : 'objects differ'}.`,
    '',
  );
  for (const change of diff.changes) {
    const name = code(change.id);
    if (change.kind === 'added') lines.push(`- ${name}: only in the preview`);
    else if (change.kind === 'removed') lines.push(`- ${name}: only in the replayed history`);
    else {
      const parts = (change.attributes ?? []).map((a) =>
        isBlockValue(a.before) || isBlockValue(a.after)
          ? `${a.name} differs`
          : `${a.name} is ${code(formatValue(a.before))} in the history, ${code(formatValue(a.after))} in the preview`,
      );
      lines.push(`- ${name}: ${parts.join('; ')}`);
    }
  }
  return lines.join('\n');
}

function inlineText({ name, before, after }: AttributeChange): string {
  if (isBlockValue(before) || isBlockValue(after)) return `${name} changed`;
  return `${name} ${formatValue(before)} -> ${formatValue(after)}`;
}

function changeMarkdown(change: SchemaChange): string[] {
  const name = code(change.id.slice(change.objectType.length + 1));
  if (change.kind !== 'changed') return [`- ${change.kind} ${name}`];
  const attributes = change.attributes ?? [];
  const inline = attributes.map((a) =>
    isBlockValue(a.before) || isBlockValue(a.after)
      ? a.name
      : `${a.name} ${code(formatValue(a.before))} -> ${code(formatValue(a.after))}`,
  );
  const lines = [`- changed ${name}: ${inline.join('; ')}`];
  for (const a of attributes.filter((a) => isBlockValue(a.before) || isBlockValue(a.after))) {
    const body = lineDiff(formatValue(a.before), formatValue(a.after));
    const fence = '`'.repeat(Math.max(3, longestRun(body.join('\n'), '`') + 1));
    lines.push('', `  ${a.name}:`, '', `  ${fence}diff`, ...body.map((line) => `  ${line}`), `  ${fence}`);
  }
  return lines;
}

/** An inline code span that survives backticks in the value. */
function code(text: string): string {
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
