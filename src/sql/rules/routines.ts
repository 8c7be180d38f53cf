import type { Node } from 'libpg-query';
import { defElems, names, stringConstant, textConstant, unwrap, type Visit } from '../ast-walk.ts';
import type { Policy } from '../policy.ts';
import type { CallFinding } from './finding.ts';
import { builtinFunctions, builtinOperators } from './builtin-names.ts';
import { forbiddenFunction, functionNamedBy, qualifiedNameParts, relationNamedBy } from './forbidden-calls.ts';
import { isReservedSchema } from './reserved-schemas.ts';
import { searchPathSchemas } from './settings.ts';

/**
 * Functions of security-critical extensions (pgcrypto, uuid-ossp): password hashing, tokens and
 * identifiers that an application trusts. A routine of the same name replaces or shadows them.
 */
const securityExtensionFunctions = [
  'crypt',
  'gen_salt',
  'gen_random_bytes',
  'digest',
  'hmac',
  'encrypt',
  'decrypt',
  'encrypt_iv',
  'decrypt_iv',
  'pgp_sym_encrypt',
  'pgp_sym_decrypt',
  'pgp_pub_encrypt',
  'pgp_pub_decrypt',
  'pgp_sym_encrypt_bytea',
  'pgp_sym_decrypt_bytea',
  'pgp_pub_encrypt_bytea',
  'pgp_pub_decrypt_bytea',
  'pgp_key_id',
  'armor',
  'dearmor',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v3',
  'uuid_generate_v4',
  'uuid_generate_v5',
];
const shadowableFunctions: ReadonlySet<string> = new Set([...builtinFunctions, ...securityExtensionFunctions]);

/** Definition options that name a function (CREATE OPERATOR, AGGREGATE, TYPE, RANGE, TEXT SEARCH ...). */
const functionOptions: ReadonlySet<string> = new Set([
  'procedure',
  'function',
  'restrict',
  'join',
  'sfunc',
  'finalfunc',
  'combinefunc',
  'serialfunc',
  'deserialfunc',
  'msfunc',
  'minvfunc',
  'mfinalfunc',
  'input',
  'output',
  'receive',
  'send',
  'typmod_in',
  'typmod_out',
  'analyze',
  'subscript',
  'canonical',
  'subtype_diff',
  'handler',
  'validator',
  'inline',
  'init',
  'lexize',
  'start',
  'gettoken',
  'end',
  'lextypes',
  'headline',
]);

/** Object kinds that are routines, for RENAME. */
const routineKinds: ReadonlySet<string> = new Set([
  'OBJECT_FUNCTION',
  'OBJECT_PROCEDURE',
  'OBJECT_ROUTINE',
  'OBJECT_AGGREGATE',
]);

/** reg* types that name a function or operator. */
const functionRegTypes: ReadonlySet<string> = new Set(['regproc', 'regprocedure', 'regoper', 'regoperator']);

/**
 * Qualified routine name with unqualified names in `public`, as the default search_path puts
 * them. Case-exact (the parser has already folded unquoted names, and `"Tidy"` is not `tidy`) and
 * unambiguous whatever the names hold: `a."b.c"` is not `"a.b".c`.
 */
export function routineKey(parts: readonly string[]): string {
  return JSON.stringify(parts.length === 1 ? ['public', parts[0]] : parts.slice(-2));
}

/**
 * Findings about routines as objects: SECURITY DEFINER, ALTER FUNCTION changing security or
 * search_path, functions reached by reference (operators, casts, aggregates, triggers, reg* casts),
 * and CALL.
 *
 * @example
 * routineFindings(visitOf('ALTER FUNCTION f() SECURITY DEFINER'), policy); // [{ code: 'SG319', ... }]
 */
export function routineFindings({ type, value }: Visit, policy: Policy): CallFinding[] {
  switch (type) {
    case 'CreateFunctionStmt':
      return [
        ...securityDefiner(value, policy),
        ...leakproof(defElems(value.options as Node[]).get('leakproof')),
        ...shadowing('routine', names(value.funcname), shadowableFunctions),
      ];
    case 'DefineStmt':
      if (value.kind === 'OBJECT_OPERATOR') return shadowing('operator', names(value.defnames), builtinOperators);
      return value.kind === 'OBJECT_AGGREGATE'
        ? shadowing('aggregate', names(value.defnames), shadowableFunctions)
        : [];
    case 'RenameStmt':
      if (!routineKinds.has(String(value.renameType))) return [];
      return shadowing('routine', [String(value.newname ?? '')], shadowableFunctions);
    case 'AlterFunctionStmt':
      return alterFunction(value);
    case 'DefElem':
      return functionOptions.has(String(value.defname ?? '').toLowerCase())
        ? referenced(optionFunctionName(value.arg as Node))
        : [];
    case 'CreateCastStmt':
    case 'CreateTransformStmt':
      return referenced(names((value.func as { objname?: unknown } | undefined)?.objname));
    case 'CreateTrigStmt':
      return referenced(names(value.funcname));
    case 'ObjectWithArgs':
      return referenced(names(value.objname));
    case 'TypeCast':
      return regCast(value);
    case 'CallStmt': {
      // Which procedure answers is decided when it runs, by name, search_path and argument types: one production
      // already has can answer a CALL written for one the migration defines (another overload, a rename, a schema
      // moved or renamed first), so no CALL is taken for the migration's own.
      const call = value.funccall as { funcname?: Node[] } | undefined;
      const name = names(call?.funcname).join('.');
      return [
        {
          code: 'SG324',
          message: `CALL ${name} runs a procedure chosen by name when it runs, not code this migration shows.`,
        },
      ];
    }
    default:
      return [];
  }
}

/** LEAKPROOF lets the planner push the function below row-level security barriers (superuser only). */
function leakproof(arg: unknown): CallFinding[] {
  return isTrue(arg)
    ? [
        {
          code: 'SG327',
          message:
            'LEAKPROOF lets the function see rows that security barriers and row-level security would hide (superuser only).',
        },
      ]
    : [];
}

function shadowing(kind: string, name: string[], builtins: ReadonlySet<string>): CallFinding[] {
  const last = name.at(-1)?.toLowerCase();
  const schema = name.length > 1 ? name.at(-2)!.toLowerCase() : undefined;
  if (!last || !builtins.has(last) || schema === 'pg_temp') return [];
  return [
    {
      code: 'SG330',
      message: `The ${kind} ${name.join('.')} has the name of a built-in one; callers that pass an exactly matching type would run it instead.`,
    },
  ];
}

function securityDefiner(value: Record<string, unknown>, policy: Policy): CallFinding[] {
  const options = defElems(value.options as Node[]);
  if (!isTrue(options.get('security'))) return [];
  const name = names(value.funcname);
  const key = routineKey(name);
  if (!policy.securityDefiner.some((allowed) => routineKey(allowed.split('.')) === key)) {
    return [
      { code: 'SG319', message: `${name.join('.')} is SECURITY DEFINER and not listed in policy.securityDefiner.` },
    ];
  }
  const path = ((value.options as Node[] | undefined) ?? [])
    .map((o) => unwrap<{ defname?: string; arg?: Node }>(o, 'DefElem'))
    .map((o) =>
      o?.defname === 'set'
        ? unwrap<{ name?: string; kind?: string; args?: Node[] }>(o.arg, 'VariableSetStmt')
        : undefined,
    )
    .find((set) => set?.name?.toLowerCase() === 'search_path' && set.kind === 'VAR_SET_VALUE');
  const schemas = path ? searchPathSchemas((path.args ?? []).map(stringConstant)) : undefined;
  if (!schemas || schemas.at(-1) !== 'pg_temp' || schemas.some(isReservedSchema)) {
    return [
      {
        code: 'SG319',
        message: `SECURITY DEFINER ${name.join('.')} must pin SET search_path to constant schemas ending with pg_temp (e.g. SET search_path = pg_catalog, pg_temp).`,
      },
    ];
  }
  return [];
}

function alterFunction(value: Record<string, unknown>): CallFinding[] {
  const findings: CallFinding[] = [];
  const name = names((value.func as { objname?: unknown } | undefined)?.objname).join('.');
  for (const action of (value.actions as Node[] | undefined) ?? []) {
    const option = unwrap<{ defname?: string; arg?: Node }>(action, 'DefElem');
    if (option?.defname === 'security' && isTrue(option.arg))
      findings.push({
        code: 'SG319',
        message: `ALTER FUNCTION ${name} SECURITY DEFINER makes it run with its owner's rights.`,
      });
    if (option?.defname === 'leakproof') findings.push(...leakproof(option.arg));
    if (option?.defname === 'support')
      findings.push({
        code: 'SG327',
        message: `ALTER FUNCTION ${name} SUPPORT attaches a planner support function (superuser only).`,
      });
    const set =
      option?.defname === 'set' ? unwrap<{ name?: string; kind?: string }>(option.arg, 'VariableSetStmt') : undefined;
    if (set && (set.kind === 'VAR_RESET_ALL' || set.name?.toLowerCase() === 'search_path')) {
      findings.push({
        code: 'SG320',
        message: `ALTER FUNCTION ${name} changes or removes the search_path an existing routine runs with.`,
      });
    }
  }
  return findings;
}

function isTrue(arg: unknown): boolean {
  const node = arg as { Boolean?: { boolval?: boolean }; Integer?: { ival?: number } } | undefined;
  return node?.Boolean?.boolval === true || (node?.Integer?.ival ?? 0) !== 0;
}

/** The function a definition option names: a TypeName (`sfunc = f`), a name list, or a string. */
function optionFunctionName(arg: Node | undefined): string[] {
  const typeName = unwrap<{ names?: Node[] }>(arg, 'TypeName');
  if (typeName) return names(typeName.names);
  const list = unwrap<{ items?: Node[] }>(arg, 'List');
  if (list) return names(list.items);
  const text = stringConstant(arg);
  return text === undefined ? [] : (qualifiedNameParts(text) ?? [text]);
}

function referenced(name: string[]): CallFinding[] {
  const last = name.at(-1);
  if (!last) return [];
  const found = forbiddenFunction(last);
  return found
    ? [
        {
          code: found.code,
          message: `${found.message} (referenced as a function object, so it runs when the operator, cast, aggregate, type or trigger is used)`,
        },
      ]
    : [];
}

function regCast(value: Record<string, unknown>): CallFinding[] {
  const typeName = value.typeName as { names?: Node[] } | undefined;
  const target = names(typeName?.names).at(-1)?.toLowerCase() ?? '';
  const text = textConstant(value.arg);
  if (functionRegTypes.has(target)) return functionNamedBy(text, `A ${target}`);
  if (target === 'regclass') return relationNamedBy(text, `The regclass '${text}'`);
  if (target === 'regnamespace' && text !== undefined && qualifiedNameParts(text)?.some(isReservedSchema)) {
    return [{ code: 'SG315', message: `The regnamespace '${text}' is a reserved schema.` }];
  }
  return [];
}
