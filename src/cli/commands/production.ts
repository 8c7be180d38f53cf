import { z } from 'zod';
import { productionRoleFix, roleRefusal } from '../../database/role-privileges.ts';
import { AppError } from '../../errors.ts';
import { redact } from '../../database/server-admin.ts';
import { defaultMigratorRole, setupProductionRole, type ProductionRoleResult } from '../../promote/production-role.ts';
import { parseCommandArgs } from '../args.ts';
import { exitCodes, type CliIO } from '../io.ts';
import { printJson } from '../output.ts';
import { productionUsage } from '../usage.ts';

const flags = z.strictObject({
  'admin-url': z.url({ protocol: /^postgres(ql)?$/, error: '--admin-url must be a postgres:// URL' }),
  role: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, '--role must be a lower-case identifier (letters, digits, _)')
    .refine((name) => !name.startsWith('pg_'), '--role may not start with pg_ (reserved for predefined roles)')
    .default(defaultMigratorRole),
  database: z.string().min(1).max(63).optional(),
  'rotate-password': z.boolean().optional(),
  json: z.boolean().optional(),
});

/**
 * `schemagate production setup`: the work is setupProductionRole; this parses
 * the flags and prints the URL once.
 *
 * @example
 * process.exitCode = await productionCommand(['setup', '--admin-url', adminUrl], processIO());
 */
export async function productionCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    'admin-url': { type: 'string' },
    role: { type: 'string' },
    database: { type: 'string' },
    'rotate-password': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const { help, ...rest } = values;
  if (help) return (io.stdout(productionUsage), exitCodes.ok);
  if (positionals.length !== 1 || positionals[0] !== 'setup') throw new AppError('validation_failed', productionUsage);
  const parsed = flags.safeParse(rest);
  if (!parsed.success)
    throw new AppError(
      'validation_failed',
      `${parsed.error.issues.map((i) => i.message).join('\n')}\n${productionUsage}`,
    );
  const options = parsed.data;

  const result = await setupProductionRole(options['admin-url'], {
    role: options.role,
    ...(options.database ? { database: options.database } : {}),
    rotatePassword: Boolean(options['rotate-password']),
  });
  const refusal = roleRefusal({ role: result.role, problems: result.problems }, 'production', productionRoleFix);
  if (refusal)
    throw new AppError(
      refusal.code,
      `${refusal.message}\nSetup could not repair this with ${redact(options['admin-url'])}; ${result.changes.length > 0 ? `it did: ${result.changes.join('; ')}` : 'it changed nothing'}.`,
      refusal.problems,
    );

  if (options.json) printJson(io, present(result));
  else io.stdout(describe(result));
  return exitCodes.ok;
}

function present(r: ProductionRoleResult) {
  return {
    role: r.role,
    database: r.database,
    created: r.created,
    password_set: r.passwordSet,
    url: r.url,
    changes: r.changes,
    checked_as: r.checkedAs,
    problems: r.problems,
  };
}

function describe(r: ProductionRoleResult): string {
  const lines = [
    r.changes.length > 0
      ? `Set up ${r.role} on ${r.database}:`
      : `${r.role} on ${r.database} was already set up; nothing changed.`,
    ...r.changes.map((c) => `  - ${c}`),
    `${r.role} passes schemagate's check: it cannot escalate and owns the application's schemas.`,
  ];
  if (r.passwordSet)
    lines.push('', 'Set PRODUCTION_DATABASE_URL to this URL (its password is shown only now):', '', `  ${r.url}`, '');
  else
    lines.push(
      `Its password was kept: use the PRODUCTION_DATABASE_URL printed when it was set (${redact(r.url)} with that password), or run again with --rotate-password.`,
    );
  return `${lines.join('\n')}\n`;
}
