import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { lockedCodes, ruleByCode, ruleCodes, type RuleCode } from './catalog.ts';
import { severities } from './types.ts';

/** Extensions an agent may create unless the operator says otherwise: no file, network or code-loading access. */
export const defaultExtensionAllowlist = [
  'pgcrypto',
  'citext',
  'pg_trgm',
  'btree_gin',
  'btree_gist',
  'hstore',
  'uuid-ossp',
  'unaccent',
  'ltree',
  'intarray',
  'cube',
  'earthdistance',
  'fuzzystrmatch',
  'tablefunc',
  'vector',
  'postgis',
];

/** Extensions that reach outside the database or run untrusted code; no policy may allow them. */
export const neverAllowedExtensions: ReadonlySet<string> = new Set([
  'dblink',
  'postgres_fdw',
  'file_fdw',
  'adminpack',
  'plpython3u',
  'plperlu',
  'pltclu',
  'plsh',
  'pg_execute_server_program',
]);

// A GitHub login ("octocat") or a team slug ("my-org/reviewers").
const reviewer = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]+)?$/, {
  error: 'must be a GitHub login ("octocat") or a team slug ("org/team")',
});

const approvalRule = z.strictObject({
  approvals: z.int().min(1, { error: 'every proposal needs at least one human approval' }),
  reviewers: z.array(reviewer).min(1).optional(),
});

// Refinements sit on the fields, not the whole object, so that zod reports them together with every other issue.
const ruleSetting = z.enum(['off', ...severities]);
const lockedSetting = (code: RuleCode) =>
  z.literal(ruleByCode(code).severity, {
    error: `${code} (${ruleByCode(code).name}) cannot be turned off or lowered (guardrails are enforced whatever the policy); remove it from policy.rules`,
  });
// Keyed by the catalog's codes: strict, so an unknown code in a policy file is reported by name.
const rulesSchema = z.strictObject(
  Object.fromEntries(
    ruleCodes.map((code) => [code, (lockedCodes.has(code) ? lockedSetting(code) : ruleSetting).optional()]),
  ) as Record<RuleCode, z.ZodOptional<typeof ruleSetting>>,
);

const extensionName = z
  .string()
  .min(1)
  .refine((name) => !neverAllowedExtensions.has(name), {
    error: (issue) => `extension "${String(issue.input)}" can never be allowed for agents`,
  });

const thresholdsSchema = z
  .strictObject({
    /** Below this many rows a size-sensitive finding becomes info. */
    smallTableRows: z.int().nonnegative().default(10_000),
    /** At or above this many rows a size-sensitive finding becomes an error. */
    largeTableRows: z.int().positive().default(1_000_000),
    /** An ACCESS EXCLUSIVE lock held longer than this in the preview is reported. */
    exclusiveLockMs: z.int().positive().default(1000),
  })
  .refine((t) => t.smallTableRows < t.largeTableRows, {
    error: 'smallTableRows must be below largeTableRows',
    path: ['smallTableRows'],
  });

/**
 * The `policy` section of schemagate.config.json. Unknown keys are errors.
 *
 * @example
 * const policy = policySchema.parse({ approvals: { high: { approvals: 2, reviewers: ['acme/dba'] } } });
 */
export const policySchema = z.strictObject({
  approvals: z
    .strictObject({
      low: approvalRule.prefault({ approvals: 1 }),
      medium: approvalRule.prefault({ approvals: 1 }),
      high: approvalRule.prefault({ approvals: 2 }),
      forbidden: z.never({ error: 'forbidden proposals can never be approved; remove this key' }).optional(),
    })
    .prefault({}),
  /**
   * SECURITY DEFINER routines an agent may create (`schema.name`; a bare name means public.name).
   * Each must still pin SET search_path ending with pg_temp.
   */
  securityDefiner: z
    .array(
      z.string().regex(/^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$/, {
        error: 'use a lower-case routine name, optionally schema-qualified ("app.current_tenant")',
      }),
    )
    .default([]),
  /** Extensions an agent may CREATE. */
  extensions: z.array(extensionName).prefault(defaultExtensionAllowlist),
  timeouts: z
    .strictObject({
      lockTimeoutMs: z.int().positive().default(2000),
      statementTimeoutMs: z.int().positive().default(60_000),
    })
    .prefault({}),
  /** Per-rule severity override, or "off". Guardrails cannot be changed. */
  rules: rulesSchema.prefault({}),
  thresholds: thresholdsSchema.prefault({}),
  /** Lowest severity that makes `schemagate lint` exit 1. */
  failLevel: z.enum(severities).default('error'),
});

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

/** The policy with every default applied. */
export const defaultPolicy: Policy = policySchema.parse({});

/** A policy file that cannot be read or is invalid: a `configuration_error` listing every problem in `issues`. */
export class PolicyError extends AppError {
  readonly issues: string[];
  constructor(message: string, issues: string[]) {
    super('configuration_error', message, { issues });
    this.name = 'PolicyError';
    this.issues = issues;
  }
}

/** Every zod issue as `policy.path.to.key: message`, one per entry. */
export function formatPolicyIssues(error: z.ZodError, prefix = 'policy'): string[] {
  return error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].join('.')}: ${issue.message}`);
}

/**
 * Read the `policy` key of a schemagate.config.json. Throws a PolicyError (`configuration_error`) listing every problem at once.
 *
 * @example
 * const policy = await loadPolicyFile('schemagate.config.json');
 * policy.timeouts.lockTimeoutMs; // 2000 unless configured
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PolicyError(`cannot read config ${path}: ${(error as Error).message}`, []);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`config ${path} is not valid JSON: ${(error as Error).message}`, []);
  }
  const raw = json !== null && typeof json === 'object' ? (json as Record<string, unknown>).policy : undefined;
  const result = policySchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issues = formatPolicyIssues(result.error);
  throw new PolicyError(`invalid policy in ${path}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`, issues);
}
