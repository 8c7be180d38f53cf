import { userSettings } from './catalog-privileges.ts';
import type { CallFinding } from './finding.ts';
import { isReservedSchema } from './reserved-schemas.ts';

/**
 * Settings that change how the server splits SQL text into strings and statements, with the values
 * schemagate pins them to (src/database/statement-session.ts): setting one of those changes nothing.
 */
const tokenizationSettings: Record<string, ReadonlySet<string>> = {
  standard_conforming_strings: new Set(['on', 'true', 'yes', '1']),
  backslash_quote: new Set(['safe_encoding']),
  client_encoding: new Set(['utf8', 'utf-8', 'unicode']),
  escape_string_warning: new Set(['on', 'off', 'true', 'false', 'yes', 'no', '1', '0']),
};

/** User-settable, but only ever useful to a migration as a way around the gate. */
const protectedSettings: ReadonlySet<string> = new Set(['local_preload_libraries', 'session_preload_libraries']);

/** Custom (dotted) settings that belong to server modules, not to the application. */
const moduleSettingPrefixes = [
  'auto_explain.',
  'pg_stat_statements.',
  'pgaudit.',
  'cron.',
  'neon.',
  'pg_hint_plan.',
  'pglogical.',
];

/** Names of SET forms that are not settings (SET TRANSACTION ..., SET SESSION CHARACTERISTICS ...). */
const transactionModes: ReadonlySet<string> = new Set([
  'transaction',
  'session characteristics',
  'transaction snapshot',
]);

export type SettingScope = 'session' | 'routine';

/** The limits a migration may lower but never lift, in milliseconds. */
export interface TimeoutLimits {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

export interface SettingContext {
  scope: SettingScope;
  timeouts: TimeoutLimits;
  /** `SET ... FROM CURRENT` (routines only). */
  fromCurrent?: boolean;
  /** RESET or SET ... TO DEFAULT: back to the server's default, whatever that is. */
  reset?: boolean;
}

/** Timeouts schemagate applies with; each may be lowered to a positive constant, never lifted. */
const timeoutSettings: Record<string, keyof TimeoutLimits | undefined> = {
  lock_timeout: 'lockTimeoutMs',
  statement_timeout: 'statementTimeoutMs',
  idle_in_transaction_session_timeout: undefined,
  transaction_timeout: undefined,
  idle_session_timeout: undefined,
};

/**
 * Guardrails broken by setting `name` (lower-case) to `values` (SET, SET LOCAL, RESET, set_config,
 * or a routine's SET clause). An undefined value is computed at run time; `fromCurrent` is
 * `SET ... FROM CURRENT`.
 *
 * @example
 * checkSetting('search_path', ['public'], { scope: 'session', timeouts })[0]?.code; // 'SG320'
 */
export function checkSetting(name: string, values: Array<string | undefined>, options: SettingContext): CallFinding[] {
  if (name === 'session_replication_role') {
    return [{ code: 'SG309', message: 'Changing session_replication_role disables triggers and foreign keys.' }];
  }
  if (name === 'role' || name === 'session_authorization') {
    return [{ code: 'SG303', message: `Setting ${name} switches the identity the migration runs as.` }];
  }
  if (name === 'search_path') return checkSearchPath(values, options);
  if (name in timeoutSettings) return checkTimeout(name, values, options);
  const pinned = tokenizationSettings[name];
  if (pinned) {
    const keeps =
      !options.reset && !options.fromCurrent && values.length === 1 && pinned.has(values[0]?.toLowerCase() ?? '');
    return keeps
      ? []
      : [{ code: 'SG325', message: `Changing ${name} changes how the server reads the SQL text that follows.` }];
  }
  if (transactionModes.has(name)) return [];
  if (name.includes('.')) {
    const prefix = moduleSettingPrefixes.find((p) => name.startsWith(p));
    return prefix
      ? [
          {
            code: 'SG328',
            message: `${name} configures the server module ${prefix.slice(0, -1)}, not the application.`,
          },
        ]
      : [];
  }
  if (protectedSettings.has(name) || !userSettings.has(name)) {
    return [
      { code: 'SG328', message: `${name} is not a setting the application's own role may change (or is unknown).` },
    ];
  }
  return [];
}

/**
 * A routine may pin its own search_path to constant schemas (that is how a SECURITY DEFINER
 * routine is made safe); anything else that changes it is forbidden.
 */
function checkSearchPath(values: Array<string | undefined>, options: SettingContext): CallFinding[] {
  if (options.scope === 'session') {
    return [
      {
        code: 'SG320',
        message: "Changes search_path for the rest of the migration (and for schemagate's own statements after it).",
      },
    ];
  }
  if (options.fromCurrent)
    return [
      { code: 'SG320', message: 'SET search_path FROM CURRENT copies whatever search_path the migration session has.' },
    ];
  const schemas = searchPathSchemas(values);
  if (schemas === undefined || values.length === 0)
    return [{ code: 'SG320', message: "A routine's search_path must be a list of constant schemas." }];
  const reserved = schemas.filter(isReservedSchema);
  if (reserved.length > 0)
    return [{ code: 'SG315', message: `search_path includes the reserved schema ${reserved.join(', ')}.` }];
  return [];
}

/** The schemas of a search_path value list ("a, b" or 'a', 'b'), or undefined when computed. */
export function searchPathSchemas(values: Array<string | undefined>): string[] | undefined {
  if (values.some((value) => value === undefined)) return undefined;
  return (values as string[])
    .flatMap((value) => value.split(','))
    .map((part) =>
      part
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    )
    .filter((part) => part !== '');
}

function checkTimeout(name: string, values: Array<string | undefined>, options: SettingContext): CallFinding[] {
  const limitKey = timeoutSettings[name];
  const limit = limitKey ? options.timeouts[limitKey] : undefined;
  const ms = options.reset || options.fromCurrent || values.length !== 1 ? undefined : durationMs(values[0]);
  if (ms === undefined || ms <= 0) {
    return [
      {
        code: 'SG329',
        message: `${name} is set to 0, to the server default or to a computed value, which lifts the limit schemagate applies the migration with.`,
      },
    ];
  }
  if (limit !== undefined && ms > limit) {
    return [
      {
        code: 'SG117',
        message: `${name} = ${values[0]} is above the policy's ${limit} ms (policy.timeouts.${limitKey}).`,
      },
    ];
  }
  return [];
}

const units: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A timeout setting's value in milliseconds, as Postgres reads it: a number (milliseconds) or a
 * number with a unit ('2s', '1.5min'). Undefined when it is computed or not a duration.
 *
 * @example
 * durationMs('2s'); // 2000
 */
export function durationMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let end = 0;
  while (end < text.length && '0123456789.'.includes(text[end]!)) end++;
  const amount = Number(text.slice(0, end));
  const unit = text.slice(end).trim().toLowerCase();
  if (end === 0 || !Number.isFinite(amount)) return undefined;
  const factor = unit === '' ? 1 : units[unit];
  return factor === undefined ? undefined : amount * factor;
}
