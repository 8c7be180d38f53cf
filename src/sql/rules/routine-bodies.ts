import type { Node } from 'libpg-query';
import { walk } from '../ast-walk.ts';
import { parseNested, parsePlpgsql, scanTokens } from '../parse.ts';
import { forbiddenFunction, type CallFinding } from './forbidden-calls.ts';

/** A SQL statement found inside a routine body, with its own text (for nested PL/pgSQL). */
export interface NestedStatement {
  node: Node;
  sql: string;
}

export interface BodyInspection {
  statements: NestedStatement[];
  /** Guardrails broken by the body's procedural code itself (dynamic SQL, transaction control, ...). */
  findings: CallFinding[];
}

// Words that could lead to a forbidden statement when a body cannot be parsed and walked.
const suspiciousWords = new Set([
  'execute', 'grant', 'revoke', 'copy', 'role', 'authorization', 'system', 'database', 'server', 'mapping',
  'load', 'language', 'commit', 'rollback', 'savepoint', 'prepare', 'set_config', 'session_replication_role',
  'search_path', 'netlify', 'schemagate',
]);

/**
 * Parse a SQL-language body into statements. A body that does not parse cannot run either
 * (Postgres uses the same parser when the function is called), so it yields nothing.
 */
export function inspectSqlBody(body: string): NestedStatement[] {
  try {
    return parseNested(body);
  } catch {
    return [];
  }
}

/**
 * Parse a PL/pgSQL routine (the full CREATE FUNCTION / PROCEDURE text) and collect the SQL inside
 * it. When libpg-query's PL/pgSQL parser cannot handle the body (it does not resolve `%TYPE`),
 * the body's tokens are scanned instead, and any word that could hide a forbidden statement makes
 * the body unverifiable.
 */
export function inspectPlpgsql(createSql: string, body: string, allowTransactionControl: boolean): BodyInspection {
  let tree: unknown;
  try {
    tree = parsePlpgsql(createSql);
  } catch (error) {
    return { statements: [], findings: scanUnparsed(body, (error as Error).message) };
  }
  const statements: NestedStatement[] = [];
  const findings: CallFinding[] = [];
  walk(tree, ({ type, value }) => {
    if (type === 'PLpgSQL_stmt_dynexecute' || type === 'PLpgSQL_stmt_dynfors') {
      findings.push({ code: 'SG311', message: 'EXECUTE runs a SQL string built at run time.' });
    }
    if ((type === 'PLpgSQL_stmt_open' || type === 'PLpgSQL_stmt_return_query') && value.dynquery !== undefined) {
      findings.push({ code: 'SG311', message: 'A query given by EXECUTE is built at run time.' });
    }
    if (!allowTransactionControl && (type === 'PLpgSQL_stmt_commit' || type === 'PLpgSQL_stmt_rollback')) {
      findings.push({ code: 'SG313', message: 'COMMIT or ROLLBACK inside a DO block ends the migration\'s transaction.' });
    }
    if (type === 'PLpgSQL_expr' && typeof value.query === 'string') {
      const parsed = expressionStatements(value.query, Number(value.parseMode ?? 0));
      if (parsed) statements.push(...parsed);
      else findings.push(...scanUnparsed(value.query, 'expression did not parse'));
    }
  });
  return { statements, findings };
}

/** PL/pgSQL keeps each embedded SQL as text; parseMode says whether it is a statement, an expression or an assignment. */
function expressionStatements(query: string, parseMode: number): NestedStatement[] | undefined {
  let sql = query;
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

function scanUnparsed(text: string, reason: string): CallFinding[] {
  const tokens = scanTokens(text);
  if (!tokens) return [{ code: 'SG316', message: `Body could not be parsed or scanned (${reason}).` }];
  const findings: CallFinding[] = [];
  const words = new Set<string>();
  for (const token of tokens) {
    if (token.tokenName === 'SCONST' || token.tokenName.endsWith('COMMENT')) continue;
    const word = token.text.toLowerCase().replaceAll('"', '');
    const call = forbiddenFunction(word);
    if (call) findings.push(call);
    if (suspiciousWords.has(word)) words.add(word);
  }
  if (words.size > 0) {
    findings.push({ code: 'SG316', message: `Body could not be parsed (${reason}) and contains ${[...words].join(', ')}.` });
  }
  return findings;
}

/** A dollar-quote tag that does not occur in the body, to wrap a DO block as a function. */
export function dollarQuote(body: string): string {
  let tag = '$sg$';
  for (let n = 0; body.includes(tag); n++) tag = `$sg${n}$`;
  return `${tag}${body}${tag}`;
}
