import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { OPERATION_IDS, trimSpec } from '../../../scripts/trim-github-openapi.mjs';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'mini', version: '1' },
  paths: {
    '/a/{id}': {
      parameters: [{ $ref: '#/components/parameters/id' }],
      get: {
        operationId: 'a/get',
        responses: {
          '200': {
            content: {
              'application/json': {
                schema: ref('thing'),
                examples: { default: { $ref: '#/components/examples/big' } },
              },
            },
          },
          '409': { content: { 'application/json': { schema: { oneOf: [ref('error'), ref('other-error')] } } } },
        },
      },
      delete: { operationId: 'a/delete', responses: { '204': { description: 'gone' } } },
    },
    '/b': {
      get: {
        operationId: 'b/get',
        responses: { '200': { content: { 'application/json': { schema: ref('unused') } } } },
      },
    },
  },
  components: {
    parameters: { id: { name: 'id', in: 'path', required: true, schema: { type: 'integer' } } },
    examples: { big: { value: { huge: true } } },
    schemas: {
      thing: {
        type: 'object',
        properties: { owner: ref('user'), state: { type: 'string', enum: ['done'], nullable: true } },
        example: { no: 1 },
      },
      user: { type: 'object', properties: { login: { type: 'string' }, examples: { type: 'array' } } },
      error: { type: 'object', properties: { message: { type: 'string' } } },
      'other-error': { type: 'object', properties: { message: { type: 'string' } } },
      unused: { type: 'object' },
    },
  },
};

describe('trim-github-openapi', () => {
  it('keeps the asked operations and every component they reach, transitively', () => {
    const trimmed = trimSpec(SPEC, ['a/get']);

    expect(Object.keys(trimmed.paths)).toEqual(['/a/{id}']);
    expect(Object.keys(trimmed.paths['/a/{id}'])).toEqual(['parameters', 'get']);
    expect(Object.keys(trimmed.components.schemas).sort()).toEqual(['error', 'other-error', 'thing', 'user']);
    expect(Object.keys(trimmed.components.parameters)).toEqual(['id']);
    expect(trimmed.components.examples).toBeUndefined();
    expect(JSON.stringify(trimmed)).not.toContain('"example"');
    expect(JSON.stringify(trimmed)).not.toContain('big');
    expect(trimmed.components.schemas.user.properties.examples).toEqual({ type: 'array' });
  });

  it('lets null through nullable enums and turns overlapping error unions into anyOf', () => {
    const trimmed = trimSpec(SPEC, ['a/get']);

    expect(trimmed.components.schemas.thing.properties.state.enum).toEqual(['done', null]);
    expect(trimmed.paths['/a/{id}'].get.responses['409'].content['application/json'].schema).toEqual({
      anyOf: [ref('error'), ref('other-error')],
    });
  });

  it('fails when an operation is missing from the description', () => {
    expect(() => trimSpec(SPEC, ['a/get', 'c/get'])).toThrow('operations not in the description: c/get');
  });

  it('matches the vendored file: every operation the stand-in serves is in it', async () => {
    const vendored = JSON.parse(
      await readFile(new URL('../../support/github-standin/github-openapi.trimmed.json', import.meta.url), 'utf8'),
    );
    const ids = Object.values(vendored.paths).flatMap((item: any) =>
      Object.values(item)
        .map((op: any) => op.operationId)
        .filter(Boolean),
    );

    expect(ids.sort()).toEqual([...OPERATION_IDS].sort());
  });
});
