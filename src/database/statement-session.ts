import type pg from 'pg';

/**
 * The settings that decide how the server splits SQL text into strings and statements, pinned
 * to the values the analyzer's parser assumes. A role or database default (ALTER ROLE ... SET
 * standard_conforming_strings = off) would otherwise make the server read a file differently
 * from the analysis; the migration itself may not change them (guardrail SG325).
 */
const pinnedSettings =
  "set standard_conforming_strings = on; set backslash_quote = safe_encoding; set client_encoding = 'UTF8'";

/**
 * Pin tokenization settings on a session that will apply a migration.
 *
 * @example
 * await pinTokenization(client);
 */
export async function pinTokenization(client: pg.ClientBase): Promise<void> {
  await client.query(pinnedSettings);
}

/**
 * Run exactly one analysed statement. The extended query protocol sends it as one Parse
 * message, which Postgres refuses ("cannot insert multiple commands into a prepared
 * statement") if its text holds a second command, so nothing the analyzer took for a literal
 * or a comment can run as a statement of its own.
 *
 * @example
 * await executeOne(client, 'alter table users add column age int');
 */
export function executeOne(client: pg.ClientBase, text: string): Promise<pg.QueryResult> {
  return client.query({ text, queryMode: 'extended' } as pg.QueryConfig);
}
