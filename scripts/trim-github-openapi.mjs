#!/usr/bin/env node
/**
 * Cuts GitHub's published OpenAPI description down to the operations the
 * GitHub stand-in serves, plus every component they reference transitively.
 * The full description (@octokit/openapi, ~385 MB) is too large to install
 * into the project, so it is installed elsewhere and this script's output is
 * committed.
 *
 * Examples are dropped: they are not used for validation, and GitHub's own
 * examples do not always pass its schemas. Two repairs make real answers
 * pass: nullable enums list `null` (see strip()) and overlapping error
 * unions become `anyOf` (see relaxErrorUnions()); nothing else is changed.
 *
 * @example
 *   npm i --prefix /tmp/octokit-openapi @octokit/openapi
 *   node scripts/trim-github-openapi.mjs \
 *     /tmp/octokit-openapi/node_modules/@octokit/openapi/generated/api.github.com.json \
 *     test/support/github-standin/github-openapi.trimmed.json
 */
import { readFile, writeFile } from 'node:fs/promises';

/** operationIds the stand-in implements; keep in step with its handlers. */
export const OPERATION_IDS = [
  'apps/create-installation-access-token',
  'checks/create',
  'checks/list-for-ref',
  'checks/update',
  'git/create-ref',
  'git/delete-ref',
  'git/get-ref',
  'git/update-ref',
  'issues/add-labels',
  'issues/create-comment',
  'issues/list-comments',
  'issues/update-comment',
  'pulls/create',
  'pulls/get',
  'pulls/list',
  'pulls/list-files',
  'pulls/list-reviews',
  'pulls/merge',
  'pulls/request-reviewers',
  'pulls/update',
  'repos/create-commit-status',
  'repos/create-or-update-file-contents',
  'repos/get',
  'repos/get-collaborator-permission-level',
  'repos/get-content',
  'teams/get-membership-for-user-in-org',
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const DROPPED_KEYS = new Set(['example', 'examples', 'x-github', 'externalDocs']);

/**
 * Returns a copy of `spec` holding only `operationIds` and what they reference.
 *
 * @example
 *   const small = trimSpec(full, ['repos/get']);
 */
export function trimSpec(spec, operationIds) {
  const wanted = new Set(operationIds);
  const paths = {};
  const found = new Set();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation || !wanted.has(operation.operationId)) continue;
      paths[path] ??= item.parameters ? { parameters: item.parameters } : {};
      paths[path][method] = relaxErrorUnions(operation);
      found.add(operation.operationId);
    }
  }
  const missing = [...wanted].filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`operations not in the description: ${missing.join(', ')}`);

  const components = {};
  const pending = [strip(paths)];
  const seen = new Set();
  while (pending.length > 0) {
    for (const ref of collectRefs(pending.pop())) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const [, , section, name] = ref.split('/');
      const target = spec.components?.[section]?.[name];
      if (!section || !name || target === undefined) throw new Error(`unresolvable $ref ${ref}`);
      const copy = strip(target);
      (components[section] ??= {})[name] = copy;
      pending.push(copy);
    }
  }
  for (const section of Object.values(components)) sortKeys(section);
  return {
    openapi: spec.openapi,
    info: {
      ...spec.info,
      description:
        `${spec.info.description ?? ''} Trimmed to ${found.size} operations for schemagate's GitHub stand-in.`.trim(),
    },
    servers: spec.servers,
    paths: sortKeys(strip(paths)),
    components,
  };
}

/**
 * Some error answers are described as `oneOf` two schemas that a plain
 * `{ message, documentation_url }` body matches both of (409 on
 * repos/create-or-update-file-contents), so no real answer could pass.
 * `anyOf` states what GitHub sends.
 */
function relaxErrorUnions(operation) {
  const responses = {};
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const schema = response?.content?.['application/json']?.schema;
    if (Number(status) >= 400 && schema?.oneOf) {
      const { oneOf, ...rest } = schema;
      responses[status] = {
        ...response,
        content: {
          ...response.content,
          'application/json': { ...response.content['application/json'], schema: { ...rest, anyOf: oneOf } },
        },
      };
    } else {
      responses[status] = response;
    }
  }
  return { ...operation, responses };
}

function strip(value, parentKey) {
  if (Array.isArray(value)) return value.map((inner) => strip(inner));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    // Inside `properties` the keys are field names: a field may be called "examples".
    if (parentKey === 'properties' || !DROPPED_KEYS.has(key)) out[key] = strip(inner, key);
  }
  // GitHub marks such enums `nullable` and sends null (a check run's conclusion
  // while it runs), but JSON Schema validators only accept null when the enum
  // lists it, as OpenAPI 3.0.3 specifies. Listing it keeps the intent.
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

function* collectRefs(value) {
  if (Array.isArray(value)) {
    for (const inner of value) yield* collectRefs(inner);
  } else if (value !== null && typeof value === 'object') {
    if (typeof value.$ref === 'string') yield value.$ref;
    for (const inner of Object.values(value)) yield* collectRefs(inner);
  }
}

function sortKeys(object) {
  const entries = Object.entries(object).sort(([a], [b]) => a.localeCompare(b));
  for (const key of Object.keys(object)) delete object[key];
  for (const [key, inner] of entries) object[key] = inner;
  return object;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node scripts/trim-github-openapi.mjs <api.github.com.json> <output.json>');
    process.exit(2);
  }
  const trimmed = trimSpec(JSON.parse(await readFile(input, 'utf8')), OPERATION_IDS);
  const text = `${JSON.stringify(trimmed, null, 1)}\n`;
  await writeFile(output, text);
  const counts = Object.entries(trimmed.components)
    .map(([k, v]) => `${Object.keys(v).length} ${k}`)
    .join(', ');
  console.log(`${output}: ${OPERATION_IDS.length} operations, ${counts}, ${(text.length / 1024).toFixed(0)} KiB`);
}
