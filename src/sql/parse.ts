import { loadModule, parseSync, parsePlPgSQLSync, scanSync, type Node, type ScanToken } from 'libpg-query';
import { sourceMap, type SourceMap } from './positions.ts';

// The WebAssembly parser must be instantiated once before any *Sync call.
await loadModule();

export interface ParsedStatement {
  index: number;
  node: Node;
  kind: string;
  /** String indexes into the migration text. */
  start: number;
  end: number;
  sql: string;
  /** The scanner's tokens of this statement (byte offsets into the migration). */
  tokens: readonly ScanToken[];
}

export interface SqlComment {
  text: string;
  start: number;
  end: number;
}

export type ParseOutcome =
  | { ok: true; statements: ParsedStatement[]; comments: SqlComment[]; map: SourceMap }
  | { ok: false; message: string; position: number; map: SourceMap };

/**
 * Parse a migration with the real Postgres parser. A syntax error is returned, never thrown.
 *
 * @example
 * const parsed = parseMigration('CREATE TABLE t (id bigint);');
 * if (parsed.ok) parsed.statements[0]?.kind; // "CreateStmt"
 */
export function parseMigration(text: string): ParseOutcome {
  const map = sourceMap(text);
  // libpg-query rejects input without statements ("Query cannot be empty"); an empty or
  // comment-only migration is harmless, so it parses to no statements.
  const tokens = text.trim() === '' ? [] : scanTokens(text);
  if (tokens !== null && tokens.every((token) => token.tokenName.endsWith('COMMENT'))) {
    return { ok: true, statements: [], comments: comments(text, map, tokens), map };
  }
  let raw;
  try {
    raw = parseSync(text);
  } catch (error) {
    return { ok: false, ...syntaxError(error, text.length), map };
  }
  const allTokens = tokens ?? [];
  let cursor = 0;
  const statements = (raw.stmts ?? []).map((stmt, index): ParsedStatement => {
    const node = stmt.stmt as Node;
    const byteStart = stmt.stmt_location ?? 0;
    // A zero or missing length means "to the end of the input" (the last statement without a semicolon).
    const byteEnd = stmt.stmt_len ? byteStart + stmt.stmt_len : Number.MAX_SAFE_INTEGER;
    const start = map.charIndex(byteStart);
    let end = stmt.stmt_len ? map.charIndex(byteEnd) : text.length;
    while (end > start && text.charCodeAt(end - 1) <= 32) end--;
    while (cursor < allTokens.length && allTokens[cursor]!.start < byteStart) cursor++;
    const first = cursor;
    while (cursor < allTokens.length && allTokens[cursor]!.end <= byteEnd) cursor++;
    return {
      index,
      node,
      kind: nodeKind(node),
      start,
      end,
      sql: text.slice(start, end),
      tokens: allTokens.slice(first, cursor),
    };
  });
  return { ok: true, statements, comments: comments(text, map, tokens ?? []), map };
}

/** Parse a nested SQL string (a function body) into statements with their own text; throws on a syntax error. */
export function parseNested(text: string): Array<{ node: Node; sql: string }> {
  const bytes = Buffer.from(text);
  return (parseSync(text).stmts ?? []).map((stmt) => {
    const start = stmt.stmt_location ?? 0;
    const end = stmt.stmt_len ? start + stmt.stmt_len : bytes.length;
    return { node: stmt.stmt as Node, sql: bytes.subarray(start, end).toString() };
  });
}

/** Parse a CREATE FUNCTION / PROCEDURE statement's PL/pgSQL body; throws when it cannot. */
export function parsePlpgsql(createFunctionSql: string): unknown {
  return parsePlPgSQLSync(createFunctionSql);
}

/** Tokens of a SQL fragment, or null when the scanner rejects it (an unterminated quote). */
export function scanTokens(text: string): ScanToken[] | null {
  try {
    return scanSync(text).tokens;
  } catch {
    return null;
  }
}

export function nodeKind(node: Node): string {
  return Object.keys(node)[0] ?? 'Unknown';
}

function comments(text: string, map: SourceMap, tokens: readonly ScanToken[]): SqlComment[] {
  return tokens
    .filter((token) => token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT')
    .map((token) => {
      const start = map.charIndex(token.start);
      const end = map.charIndex(token.end);
      return { text: text.slice(start, end), start, end };
    });
}

function syntaxError(error: unknown, length: number): { message: string; position: number } {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  // libpg-query reports the cursor as a 0-based character offset (Postgres' own is 1-based).
  const position = Math.max(0, Math.min(details?.cursorPosition ?? 0, length));
  return { message, position };
}
