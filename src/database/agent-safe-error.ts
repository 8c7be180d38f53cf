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
 * exceptions, class P0 PL/pgSQL RAISE text, which a migration can fill with
 * any row); DETAIL and CONTEXT only for classes that describe schema, not
 * rows; HINT unless PL/pgSQL set it. `withheld` names what was left out.
 * Operators find the full text in Postgres' own log.
 *
 * @example
 * agentSafeError({ code: '23505', message: 'duplicate key value violates unique constraint "users_email_key"', detail: 'Key (email)=(a@b.c) already exists.' })
 * // { message: 'duplicate key value violates unique constraint "users_email_key"', withheld: ['detail'] }
 */
export function agentSafeError(error: ErrorText): { message: string; detail?: string; hint?: string; where?: string; withheld?: WithheldField[] } {
  const sqlClass = error.code.slice(0, 2);
  const quotesValues = sqlClass === '22' || sqlClass === 'P0';
  const withheld: WithheldField[] = [];
  const keep = (field: Exclude<WithheldField, 'message'>, allowed: boolean) => {
    const value = error[field];
    if (!value) return {};
    if (allowed) return { [field]: value };
    withheld.push(field);
    return {};
  };
  if (quotesValues) withheld.push('message');
  const message = quotesValues ? `${dataExceptions[error.code] ?? (sqlClass === '22' ? 'data exception' : 'PL/pgSQL error')} (the message is withheld: it can quote row data)` : error.message;
  const safe = {
    message,
    ...keep('detail', schemaOnlyDetail.has(sqlClass)),
    ...keep('hint', sqlClass !== 'P0'),
    ...keep('where', schemaOnlyDetail.has(sqlClass)),
  };
  return withheld.length > 0 ? { ...safe, withheld: withheld.sort() } : safe;
}
