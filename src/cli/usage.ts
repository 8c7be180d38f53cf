// Every command's usage text, in a module that imports nothing: `schemagate --help`
// prints all of them without loading any command (and its database, GitHub or
// server dependencies).

export const agentsUsage = `Usage:
  schemagate agents create <name> [--scope propose|read]... [--json]
  schemagate agents create <name> --reviewer [--json]   a reviewer token for local review
  schemagate agents list [--all] [--json]
  schemagate agents revoke <name|id> [--json]
`;

export const dbUsage = 'Usage:\n  schemagate db migrate [--json]   apply the control-plane migrations\n';

export const productionUsage = `Usage (operators):
  schemagate production setup --admin-url <url> [--role <name>] [--database <name>] [--rotate-password] [--json]
      create or repair the login role promotions run as (default sg_migrator): no superuser, CREATEROLE,
      CREATEDB, REPLICATION or BYPASSRLS, in no predefined role, owning the application's schemas; prints the
      PRODUCTION_DATABASE_URL to use. Re-running changes only what is wrong and keeps the password unless
      --rotate-password. <url> is a superuser's (or, on hosted Postgres, the database owner's).
`;

export const promoteUsage = `Usage (operators):
  schemagate promote --retry <id> [--json]   queue a new promotion of a promotion_failed proposal
`;

export const proposalsUsage = `Agent commands (server: --url or SCHEMAGATE_URL; token: --token or SCHEMAGATE_TOKEN):
  schemagate propose <file.sql> --title <t> [--description <d>] [--down <file.sql>] [--name <slug>]
                     [--idempotency-key <k>] [--wait] [--until awaiting_review|approved|promoted] [--timeout <s>]
  schemagate status <id>
  schemagate wait <id> [--until awaiting_review|approved|promoted] [--timeout <s>]
  schemagate withdraw <id> [--reason <text>]
  schemagate list [--status <status>] [--limit <n>]
`;

export const reviewUsage = `Usage (local review):
  schemagate review approve|request-changes|reject <id> --as <reviewer> [--comment <text>] [--sha256 <pinned>] [--json]
`;

export const serveUsage = `Usage:
  schemagate serve [--port <n>]   serve the API on http://localhost:8888 (PORT overrides)
      --netlify-dev               serve through the @netlify/dev emulation instead (seconds per request;
                                  checks the functions as Netlify bundles them)
`;

export const checkUsage = `Usage: schemagate check [--base <ref>] [--dir <repo>] [--format text|json|markdown|junit|github] [--json]
                        [--report <format>=<file>]... [--fail-level error|warning|info] [--config <file>]
                        [--production-url <url>] [--database-url <url>] [--workload <file>]

Check the migrations in <repo>/netlify/database/migrations for CI: names Netlify would skip, duplicate
or out-of-order prefixes, applied migrations changed or deleted, a replay of the whole history on an
empty Postgres, and the rules and schema diff of the new migrations (docs/check.md).
Applied = production's netlify.migrations (--production-url or PRODUCTION_DATABASE_URL), else the files at --base.
Replays on --database-url (or SCHEMAGATE_CHECK_DATABASE_URL), else on an embedded Postgres 18.
Production's queries (its pg_stat_statements, else --workload <file>: .sql with $1 parameters, or .json)
are prepared, never run, before and after the new migrations: SG501 breaks, SG502 misses a required column.
Exit codes: 0 clean, 1 problems or findings at or above the fail level, 2 usage or configuration error,
4 a database could not be reached.
`;

export const lintUsage = `Usage: schemagate lint <files...> [--format text|json|github] [--json] [--fail-level error|warning|info] [--config path]

Check migration files with schemagate's rules (docs/rules.md).
Exit codes: 0 no findings at or above the fail level, 1 findings, 2 usage or configuration error.
`;

/** Kept equal to `mcpUsage` in commands/mcp.ts (a test compares them): that module loads the MCP SDK. */
export const mcpUsage = `Usage (agents):
  schemagate mcp [--url <server>] [--token <agent token>]   an MCP server on stdio: propose, revise, status, wait, report, list, withdraw
`;
