import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { policySchema, type Policy } from './sql/policy.ts';
import { workloadConfigSchema, type WorkloadConfig } from './sql/workload-config.ts';

const MiB = 1024 * 1024;

const fileSchema = z
  .strictObject({
    policy: policySchema.prefault({}),
    proposals: z
      .strictObject({
        /** Open proposals untouched this long end as `expired`. */
        expireAfterDays: z.number().min(0.01).max(365).default(14),
      })
      .prefault({}),
    preview: z
      .strictObject({
        /** What the base copy of production holds: schema only, N rows per table, or everything. */
        baseMode: z.enum(['schema', 'sample', 'full']).default('sample'),
        sampleRows: z.number().int().min(1).max(1_000_000).default(1000),
        maxBranches: z.number().int().min(1).max(500).default(20),
        ttlHours: z
          .number()
          .min(0.01)
          .max(24 * 30)
          .default(24),
        /** A claim older than this is taken over by another worker. */
        leaseSeconds: z.number().int().min(5).max(900).default(120),
        /** How a base copy is made when production is on another server: pg_dump/psql, in-process (catalog + COPY), or pg_dump when it can dump production. */
        copyMethod: z.enum(['auto', 'pg_dump', 'in-process']).default('auto'),
        /** Production's query shapes checked against each preview (SG501-SG504). */
        workload: workloadConfigSchema.prefault({}),
      })
      .prefault({}),
    review: z
      .strictObject({
        provider: z.enum(['local', 'github']).default('local'),
        /** Local review: the repository whose netlify/database/migrations receives the files. */
        repositoryDir: z.string().min(1).optional(),
        /** After a promotion, merge the pull request this way, or leave it (`none`) for the deploy. */
        mergeMethod: z.enum(['merge', 'squash', 'rebase', 'none']).default('squash'),
      })
      .prefault({}),
    limits: z
      .strictObject({
        maxSqlBytes: z
          .number()
          .int()
          .min(1024)
          .max(64 * MiB)
          .default(MiB),
        rateLimit: z
          .strictObject({
            requests: z.number().int().min(1).default(120),
            windowSeconds: z.number().int().min(1).max(3600).default(60),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

const envSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  NETLIFY_DB_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(8888),
  SCHEMAGATE_DATA_DIR: z.string().min(1).default('.schemagate'),
  SCHEMAGATE_CONFIG: z.string().min(1).optional(),
  SCHEMAGATE_MAX_SQL_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * MiB)
    .optional(),
  SCHEMAGATE_RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).optional(),
  SCHEMAGATE_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  PRODUCTION_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PREVIEW_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  GITHUB_REPOSITORY: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'use owner/repo')
    .optional(),
  GITHUB_API_URL: z.url().optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_APP_ID: z.coerce.number().int().positive().optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().min(1).optional(),
  GITHUB_APP_INSTALLATION_ID: z.coerce.number().int().positive().optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  GITHUB_BASE_BRANCH: z.string().min(1).default('main'),
  /** The account schemagate commits and opens pull requests as; it can never approve. */
  GITHUB_AGENT_LOGIN: z.string().min(1).optional(),
  SCHEMAGATE_REVIEW_PROVIDER: z.enum(['local', 'github']).optional(),
  SCHEMAGATE_REPOSITORY_DIR: z.string().min(1).optional(),
  SCHEMAGATE_PREVIEW_COPY: z.enum(['auto', 'pg_dump', 'in-process']).optional(),
  /** Shared by the functions that start the jobs background function and the function itself. */
  SCHEMAGATE_JOBS_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
});

/** The validated configuration: built once at start-up, trusted everywhere after. */
export interface Config {
  databaseUrl: string | undefined;
  port: number;
  dataDir: string;
  limits: {
    maxSqlBytes: number;
    /** Whole request bodies: room for `sql`, `down_sql` and the other fields. */
    maxBodyBytes: number;
    rateLimit: { requests: number; windowSeconds: number };
  };
  policy: Policy;
  proposals: { expireAfterDays: number };
  /** Production and the server previews are created on; on the embedded default both are filled in at start-up. */
  productionUrl: string | undefined;
  previewServerUrl: string | undefined;
  preview: {
    baseMode: 'schema' | 'sample' | 'full';
    sampleRows: number;
    maxBranches: number;
    ttlHours: number;
    leaseSeconds: number;
    copyMethod?: 'auto' | 'pg_dump' | 'in-process';
    /** The workload check; its file is resolved against the working directory. */
    workload?: WorkloadConfig;
  };
  review: { provider: 'local' | 'github'; repositoryDir: string; mergeMethod: 'merge' | 'squash' | 'rebase' | 'none' };
  github: GithubConfig | undefined;
  /** The secret the jobs background function requires (`SCHEMAGATE_JOBS_SECRET`); without it the function refuses every call. */
  jobsSecret?: string | undefined;
}

export interface GithubConfig {
  owner: string;
  repo: string;
  apiUrl: string | undefined;
  auth: { kind: 'token'; token: string } | { kind: 'app'; appId: number; privateKey: string; installationId: number };
  webhookSecret: string;
  baseBranch: string;
  agentLogin: string | undefined;
}

/**
 * Reads the environment and `schemagate.config.json` (or `SCHEMAGATE_CONFIG`)
 * into one validated `Config`. Environment variables win over the file.
 * Every problem is reported at once, as a `configuration_error`.
 *
 * @example
 * const config = loadConfig({ env: process.env, cwd: process.cwd() });
 */
export function loadConfig({ env, cwd }: { env: NodeJS.ProcessEnv; cwd: string }): Config {
  const problems: string[] = [];
  const parsedEnv = envSchema.safeParse(stripEmpty(env));
  if (!parsedEnv.success) problems.push(...describe(parsedEnv.error, 'env '));

  const file = path.resolve(cwd, env.SCHEMAGATE_CONFIG || 'schemagate.config.json');
  const raw = readConfigFile(file, Boolean(env.SCHEMAGATE_CONFIG), problems);
  const parsedFile = fileSchema.safeParse(raw);
  if (!parsedFile.success) problems.push(...describe(parsedFile.error, `${path.basename(file)}: `));

  const provider =
    (parsedEnv.success && parsedEnv.data.SCHEMAGATE_REVIEW_PROVIDER) ||
    (parsedFile.success ? parsedFile.data.review.provider : 'local');
  const github = parsedEnv.success ? githubConfig(parsedEnv.data, provider === 'github', problems) : undefined;
  if (!parsedEnv.success || !parsedFile.success || problems.length > 0) {
    throw new AppError('configuration_error', `invalid configuration:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  const e = parsedEnv.data;
  const { limits, policy, review, preview, proposals } = parsedFile.data;
  const maxSqlBytes = e.SCHEMAGATE_MAX_SQL_BYTES ?? limits.maxSqlBytes;
  return {
    databaseUrl: e.DATABASE_URL ?? e.NETLIFY_DB_URL,
    port: e.PORT,
    dataDir: path.resolve(cwd, e.SCHEMAGATE_DATA_DIR),
    limits: {
      maxSqlBytes,
      maxBodyBytes: 2 * maxSqlBytes + 256 * 1024,
      rateLimit: {
        requests: e.SCHEMAGATE_RATE_LIMIT_REQUESTS ?? limits.rateLimit.requests,
        windowSeconds: e.SCHEMAGATE_RATE_LIMIT_WINDOW_SECONDS ?? limits.rateLimit.windowSeconds,
      },
    },
    policy,
    proposals,
    productionUrl: e.PRODUCTION_DATABASE_URL,
    previewServerUrl: e.PREVIEW_DATABASE_URL ?? e.PRODUCTION_DATABASE_URL,
    preview: {
      ...preview,
      copyMethod: e.SCHEMAGATE_PREVIEW_COPY ?? preview.copyMethod,
      workload: {
        ...preview.workload,
        ...(preview.workload.file ? { file: path.resolve(cwd, preview.workload.file) } : {}),
      },
    },
    github,
    jobsSecret: e.SCHEMAGATE_JOBS_SECRET,
    review: {
      provider,
      mergeMethod: review.mergeMethod,
      // Without a configured checkout, local review keeps its files beside the embedded data.
      repositoryDir: path.resolve(
        cwd,
        e.SCHEMAGATE_REPOSITORY_DIR ?? review.repositoryDir ?? path.join(e.SCHEMAGATE_DATA_DIR, 'repository'),
      ),
    },
  };
}

function githubConfig(e: z.infer<typeof envSchema>, required: boolean, problems: string[]): GithubConfig | undefined {
  if (!required) return undefined;
  const before = problems.length;
  const [owner, repo] = (e.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) problems.push('env GITHUB_REPOSITORY: set owner/repo for GitHub review');
  if (!e.GITHUB_WEBHOOK_SECRET) problems.push('env GITHUB_WEBHOOK_SECRET: set the secret of the GitHub webhook');
  const app = e.GITHUB_APP_ID !== undefined && e.GITHUB_APP_PRIVATE_KEY && e.GITHUB_APP_INSTALLATION_ID !== undefined;
  if (!app && !e.GITHUB_TOKEN)
    problems.push(
      'env GITHUB_TOKEN or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY + GITHUB_APP_INSTALLATION_ID: GitHub review needs credentials',
    );
  if (problems.length > before || !owner || !repo || !e.GITHUB_WEBHOOK_SECRET) return undefined;
  return {
    owner,
    repo,
    apiUrl: e.GITHUB_API_URL,
    auth: app
      ? {
          kind: 'app',
          appId: e.GITHUB_APP_ID!,
          privateKey: e.GITHUB_APP_PRIVATE_KEY!.replaceAll('\\n', '\n'),
          installationId: e.GITHUB_APP_INSTALLATION_ID!,
        }
      : { kind: 'token', token: e.GITHUB_TOKEN! },
    webhookSecret: e.GITHUB_WEBHOOK_SECRET,
    baseBranch: e.GITHUB_BASE_BRANCH,
    agentLogin: e.GITHUB_AGENT_LOGIN,
  };
}

function readConfigFile(file: string, required: boolean, problems: string[]): unknown {
  if (!existsSync(file)) {
    if (required) problems.push(`SCHEMAGATE_CONFIG: ${file} does not exist`);
    return {};
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${path.basename(file)}: not valid JSON (${(error as Error).message})`);
    return {};
  }
}

// An empty variable (`PORT=`) means "not set", as in most twelve-factor tools.
function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

function describe(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => `${prefix}${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
