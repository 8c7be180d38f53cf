import type { Node } from 'libpg-query';
import type { RuleCode } from '../catalog.ts';
import type { ParsedStatement } from '../parse.ts';
import type { Policy } from '../policy.ts';
import type { MigrationState } from '../state.ts';
import type { StatementInfo } from '../types.ts';

/**
 * Report a finding for the current statement. `location` is a parser byte offset
 * into the migration (a node's `location`), when the finding points inside the statement.
 */
export type Report = (code: RuleCode, message: string, location?: number) => void;

export interface RuleContext {
  policy: Policy;
  state: MigrationState;
  statement: ParsedStatement;
  statements: readonly StatementInfo[];
  report: Report;
}

/** A rule family: looks at one top-level statement and reports what it finds. */
export type StatementRules = (node: Node, context: RuleContext) => void;
