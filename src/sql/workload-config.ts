import { z } from 'zod';

/** `preview.workload` in schemagate.config.json. */
export const workloadConfigSchema = z.strictObject({
  /** `auto`: pg_stat_statements when production has it (installed and preloaded), the file otherwise; `off` checks nothing. */
  source: z.enum(['auto', 'pg_stat_statements', 'file', 'off']).default('auto'),
  /** A workload file, relative to the working directory: `.json` (an array of queries or `{ query, calls? }`) or `;`-separated SQL with `$1` parameters. */
  file: z.string().min(1).optional(),
  /** How many statements, most called first. */
  top: z.number().int().min(1).max(10_000).default(200),
  /** A plan whose estimated cost grows by this factor is a regression (SG503). */
  costFactor: z.number().min(1.1).max(1e9).default(10),
});

export type WorkloadConfig = z.output<typeof workloadConfigSchema>;
