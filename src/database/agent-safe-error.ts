/** The text fields of a Postgres error (pg.DatabaseError, or a MigrationError). */
export interface ErrorText {
  /** SQLSTATE. */
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
  where?: string | undefined;
}

export type WithheldField = 'message' | 'detail' | 'hint' | 'where';

/**
 * Classes whose DETAIL and CONTEXT describe schema and sessions, never rows:
 * feature not supported, transaction state, dependent objects, invalid
 * catalog/schema names, deadlocks, syntax and access rules, resources,
 * program limits, object state, operator intervention, system errors.
 * Everywhere else (23 integrity: "Key (email)=(a@b.c) already exists",
 * "Failing row contains (...)"; 22 data; P0 PL/pgSQL; XX; HV...) they can
 * quote row data.
 */
const schemaOnlyDetail = new Set(['0A', '25', '2B', '3D', '3F', '40', '42', '53', '54', '55', '57', '58']);

/** What the message of a data exception says without the value it quotes (`invalid input syntax for type integer: "a@b.c"`). */
const dataExceptions: Record<string, string> = {
  '22001': 'value too long for the type',
  '22003': 'numeric value out of range',
  '22004': 'null value not allowed',
  '22007': 'invalid date/time format',
  '22008': 'date/time field value out of range',
  '22012': 'division by zero',
  '22021': 'invalid byte sequence for the encoding',
  '22023': 'invalid parameter value',
  '22032': 'invalid JSON text',
  '22P02': 'invalid input syntax for a type',
  '22P05': 'character with no equivalent in the encoding',
  P0001: 'PL/pgSQL raised an exception',
  P0002: 'query returned no rows',
  P0003: 'query returned more than one row',
  P0004: 'assertion failed',
};

/**
 * An error as it may reach agents (HTTP API, MCP, CLI, pull requests): SQLSTATE
 * and position always; the message unless it quotes values (class 22 data
 * exceptions, class P0 and any RAISE or ASSERT text, which a migration can fill
 * with any row, whatever SQLSTATE it picks) or quotes text that is not in the
 * migration (`source`); DETAIL and CONTEXT only for classes that describe
 * schema, not rows; HINT unless PL/pgSQL set it. `withheld` names what was left out.
 * Operators find the full text in Postgres' own log.
 *
 * @example
 * agentSafeError({ code: '23505', message: 'duplicate key value violates unique constraint "users_email_key"', detail: 'Key (email)=(a@b.c) already exists.' })
 * // { message: 'duplicate key value violates unique constraint "users_email_key"', withheld: ['detail'] }
 */
export function agentSafeError(
  error: ErrorText,
  source?: string,
): { message: string; detail?: string; hint?: string; where?: string; withheld?: WithheldField[] } {
  const sqlClass = error.code.slice(0, 2);
  // RAISE and ASSERT pick any SQLSTATE and any text: their message is the migration's, filled from rows.
  const raised = /\bat (RAISE|ASSERT)\b/.test(error.where ?? '');
  const quotesValues = sqlClass === '22' || sqlClass === 'P0' || raised;
  const withheld: WithheldField[] = [];
  const keep = (field: Exclude<WithheldField, 'message'>, allowed: boolean) => {
    const value = error[field];
    if (!value) return {};
    if (allowed && quotesOnlySource(value, source)) return { [field]: value };
    withheld.push(field);
    return {};
  };
  const keepMessage = !quotesValues && quotesOnlySource(error.message, source);
  if (!keepMessage) withheld.push('message');
  const why = quotesValues ? 'it can quote row data' : 'it quotes text that is not in the migration';
  const message = keepMessage
    ? error.message
    : `${dataExceptions[error.code] ?? (sqlClass === '22' ? 'data exception' : sqlClass === 'P0' ? 'PL/pgSQL error' : `error ${error.code}`)} (the message is withheld: ${why})`;
  const safe = {
    message,
    ...keep('detail', schemaOnlyDetail.has(sqlClass) && !raised),
    ...keep('hint', sqlClass !== 'P0' && !raised),
    ...keep('where', schemaOnlyDetail.has(sqlClass) && !raised),
  };
  return withheld.length > 0 ? { ...safe, withheld: withheld.sort() } : safe;
}

/**
 * Postgres quotes names and values in double quotes (`relation "x" does not exist`). A name the
 * migration wrote is the agent's own; a quoted text found nowhere in the migration came from the
 * database (`(SELECT email FROM users LIMIT 1)::regclass` fails with the email as a relation name).
 * Without the migration text, nothing is judged by its quotes.
 */
function quotesOnlySource(text: string, source: string | undefined): boolean {
  if (source === undefined) return true;
  const haystack = source.toLowerCase();
  return text.split('"').every((part, index) => index % 2 === 0 || haystack.includes(part.toLowerCase()));
}
