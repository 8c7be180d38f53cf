import type { Node, ScanToken } from 'libpg-query';
import { names, walk } from '../ast-walk.ts';
import { parseNested, parsePlpgsql, scanTokens } from '../parse.ts';
import type { CallFinding } from './finding.ts';

/** A SQL statement found inside a routine body, with its own text (for nested PL/pgSQL). */
export interface NestedStatement {
  node: Node;
  sql: string;
}

export interface BodyInspection {
  statements: NestedStatement[];
  /** Guardrails broken by the body's procedural code itself (dynamic SQL, transaction control, ...) or by what could not be read. */
  findings: CallFinding[];
}

/**
 * Parse a SQL-language body into statements; undefined when it does not parse. A body that
 * does not parse here is not harmless: with check_function_bodies off, or on another server
 * version, it may still be created and run.
 */
export function inspectSqlBody(body: string): NestedStatement[] | undefined {
  try {
    return parseNested(body);
  } catch {
    return undefined;
  }
}

export interface PlpgsqlRoutine {
  /** The whole CREATE FUNCTION / PROCEDURE statement, or undefined for a DO block. */
  createSql: string | undefined;
  /** The CREATE statement's parse node, to rebuild its signature when libpg-query cannot compile it. */
  node: Record<string, unknown> | undefined;
  body: string;
}

/**
 * Parse a PL/pgSQL routine and collect the SQL inside it. libpg-query's PL/pgSQL compiler cannot
 * resolve `%TYPE` in a signature or `%ROWTYPE` variables (it has no catalog), so when the routine
 * does not compile as written it is compiled again with those types erased; types never decide
 * which statements a body runs. Whatever still does not parse is reported, never skipped.
 */
export function inspectPlpgsql(routine: PlpgsqlRoutine): BodyInspection {
  const tree = compile(routine);
  if ('error' in tree)
    return {
      statements: [],
      findings: [
        {
          code: 'SG316',
          message: `The PL/pgSQL body does not parse (${tree.error}), so its statements cannot be checked.`,
        },
      ],
    };
  const statements: NestedStatement[] = [];
  const findings: CallFinding[] = [];
  walk(tree.tree, ({ type, value }) => {
    if (type === 'PLpgSQL_stmt_dynexecute' || type === 'PLpgSQL_stmt_dynfors') {
      findings.push({ code: 'SG311', message: 'EXECUTE runs a SQL string built at run time.' });
    }
    if ((type === 'PLpgSQL_stmt_open' || type === 'PLpgSQL_stmt_return_query') && value.dynquery !== undefined) {
      findings.push({ code: 'SG311', message: 'A query given by EXECUTE is built at run time.' });
    }
    if (type === 'PLpgSQL_stmt_commit' || type === 'PLpgSQL_stmt_rollback') {
      findings.push({
        code: 'SG313',
        message:
          "COMMIT or ROLLBACK in a routine or DO block ends the transaction it is called in, the migration's included.",
      });
    }
    if (type === 'PLpgSQL_expr' && typeof value.query === 'string') {
      const parsed = expressionStatements(value.query, Number(value.parseMode ?? 0));
      if (parsed) statements.push(...parsed);
      else
        findings.push({
          code: 'SG316',
          message: `A PL/pgSQL expression does not parse, so it cannot be checked: ${value.query.slice(0, 80)}`,
        });
    }
  });
  return { statements, findings };
}

function compile(routine: PlpgsqlRoutine): { tree: unknown } | { error: string } {
  const asWritten = routine.createSql ?? wrapper(undefined, routine.body);
  try {
    return { tree: parsePlpgsql(asWritten) };
  } catch (error) {
    const rebuilt = wrapper(routine.node, eraseRowTypes(routine.body) ?? routine.body);
    if (rebuilt === asWritten) return { error: (error as Error).message };
    try {
      return { tree: parsePlpgsql(rebuilt) };
    } catch (again) {
      return { error: (again as Error).message };
    }
  }
}

/** PL/pgSQL keeps each embedded SQL as text; parseMode says whether it is a statement, a type, an expression or an assignment. */
function expressionStatements(query: string, parseMode: number): NestedStatement[] | undefined {
  let sql = query;
  if (parseMode === 1) sql = `SELECT NULL::${query}`;
  if (parseMode === 2) sql = `SELECT ${query}`;
  if (parseMode >= 3) {
    const assignment = scanTokens(query)?.find((token) => token.text === ':=' || token.text === '=');
    if (!assignment) return undefined;
    sql = `SELECT ${Buffer.from(query).subarray(assignment.end).toString()}`;
  }
  try {
    return parseNested(sql);
  } catch {
    return undefined;
  }
}

/**
 * A CREATE statement that libpg-query can compile for this body: same parameter names and modes
 * and the same kind of result (trigger, void, set, OUT parameters), with types that need no catalog.
 */
function wrapper(node: Record<string, unknown> | undefined, body: string): string {
  if (!node)
    return `CREATE FUNCTION pg_temp.schemagate_do_block() RETURNS void LANGUAGE plpgsql AS ${dollarQuote(body)}`;
  const params = ((node.parameters as Node[] | undefined) ?? []).map((item) => {
    const p =
      (item as { FunctionParameter?: { name?: string; mode?: string; argType?: TypeNode } }).FunctionParameter ?? {};
    const mode =
      { FUNC_PARAM_OUT: 'OUT', FUNC_PARAM_INOUT: 'INOUT', FUNC_PARAM_VARIADIC: 'VARIADIC', FUNC_PARAM_TABLE: 'OUT' }[
        p.mode ?? ''
      ] ?? '';
    const type = p.mode === 'FUNC_PARAM_VARIADIC' ? 'text[]' : typeText(p.argType);
    return [mode, p.name ? quoteIdent(p.name) : '', type].filter(Boolean).join(' ');
  });
  const table = ((node.parameters as Node[] | undefined) ?? []).some(
    (item) => (item as { FunctionParameter?: { mode?: string } }).FunctionParameter?.mode === 'FUNC_PARAM_TABLE',
  );
  const name = 'pg_temp.schemagate_routine';
  if (node.is_procedure === true)
    return `CREATE PROCEDURE ${name}(${params.join(', ')}) LANGUAGE plpgsql AS ${dollarQuote(body)}`;
  const returnType = node.returnType as TypeNode | undefined;
  const returns = table
    ? 'SETOF record'
    : returnType
      ? `${returnType.setof ? 'SETOF ' : ''}${typeText(returnType)}`
      : undefined;
  return `CREATE FUNCTION ${name}(${params.join(', ')})${returns ? ` RETURNS ${returns}` : ''} LANGUAGE plpgsql AS ${dollarQuote(body)}`;
}

interface TypeNode {
  names?: Node[];
  pct_type?: boolean;
  setof?: boolean;
  arrayBounds?: unknown[];
}

/** Pseudo-types change what a body may do (NEW/OLD, RETURN without a value); everything else becomes a type that needs no catalog. */
const keptTypes: ReadonlySet<string> = new Set(['trigger', 'event_trigger', 'void', 'record']);

function typeText(type: TypeNode | undefined): string {
  const last = names(type?.names).at(-1)?.toLowerCase() ?? '';
  const base = !type?.pct_type && keptTypes.has(last) ? last : 'text';
  return `${base}${(type?.arrayBounds ?? []).length > 0 && base === 'text' ? '[]' : ''}`;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Replace `name.name%TYPE` with text and `name%ROWTYPE` with record, found through the scanner's
 * tokens (never by pattern over the text). Undefined when the body does not scan or holds neither.
 */
function eraseRowTypes(body: string): string | undefined {
  const tokens = scanTokens(body);
  if (!tokens) return undefined;
  const bytes = Buffer.from(body);
  const cuts: Array<{ start: number; end: number; replacement: string }> = [];
  for (let i = 1; i + 1 < tokens.length; i++) {
    if (tokens[i]!.text !== '%') continue;
    const kind = tokens[i + 1]!.text.toLowerCase();
    if (kind !== 'type' && kind !== 'rowtype') continue;
    let first = i - 1;
    if (!isWord(tokens[first]!)) continue;
    while (first >= 2 && tokens[first - 1]!.text === '.' && isWord(tokens[first - 2]!)) first -= 2;
    cuts.push({
      start: tokens[first]!.start,
      end: tokens[i + 1]!.end,
      replacement: kind === 'type' ? 'text' : 'record',
    });
  }
  if (cuts.length === 0) return undefined;
  let result = '';
  let at = 0;
  for (const cut of cuts) {
    result += bytes.subarray(at, cut.start).toString() + cut.replacement;
    at = cut.end;
  }
  return result + bytes.subarray(at).toString();
}

/** An identifier or a keyword used as one (`users`, `"Users"`, `user`). */
function isWord(token: ScanToken): boolean {
  return (
    token.tokenName === 'IDENT' || /^[A-Za-z_][A-Za-z0-9_$]*$/.test(token.text) || /^"(?:[^"]|"")+"$/.test(token.text)
  );
}

/** A dollar-quote tag that does not occur in the body, to wrap a body as a function. */
export function dollarQuote(body: string): string {
  let tag = '$sg$';
  for (let n = 0; body.includes(tag); n++) tag = `$sg${n}$`;
  return `${tag}${body}${tag}`;
}
