import { z } from 'zod';
import { version } from './version.ts';
import {
  createProposalBody,
  createRevisionBody,
  errorResponse,
  eventListResponse,
  healthResponse,
  getProposalQuery,
  listQuery,
  proposalListResponse,
  proposalResponse,
  reviewBody,
  withdrawBody,
} from './schemas.ts';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const content = (id: string) => ({ 'application/json': { schema: ref(id) } });
const error = (description: string) => ({ description, content: content('Error') });

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const auth = [{ agentToken: [] }];
const common = {
  '401': error('missing, unknown or revoked token (`unauthorized`)'),
  '403': error('token lacks the scope (`insufficient_scope`) or is not the author (`not_proposal_owner`)'),
  '429': error('rate limit exceeded (`rate_limited`); see Retry-After'),
};
const bodyErrors = {
  '400': error('invalid JSON or fields (`invalid_json`, `validation_failed`), every problem listed'),
  '413': error('body or SQL too large (`payload_too_large`, `sql_too_large`)'),
  '415': error('not JSON (`unsupported_media_type`)'),
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function queryParameters(schema: z.ZodType = listQuery) {
  const shape = schemaOf(schema, 'input') as { properties: Record<string, unknown> };
  return Object.entries(shape.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
}

/** The OpenAPI 3.1 description of the API, generated from the zod schemas it validates with. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'schemagate',
      version,
      description: 'Agents propose Postgres migrations; humans approve exactly what was previewed.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'agent token from `schemagate agents create`' },
      },
      schemas: {
        CreateProposal: schemaOf(createProposalBody, 'input'),
        CreateRevision: schemaOf(createRevisionBody, 'input'),
        Withdraw: schemaOf(withdrawBody, 'input'),
        Review: schemaOf(reviewBody, 'input'),
        Proposal: schemaOf(proposalResponse, 'output'),
        ProposalList: schemaOf(proposalListResponse, 'output'),
        EventList: schemaOf(eventListResponse, 'output'),
        Health: schemaOf(healthResponse, 'output'),
        Error: schemaOf(errorResponse, 'output'),
      },
    },
    paths: {
      '/api/health': {
        get: {
          operationId: 'getHealth',
          responses: {
            '200': { description: 'healthy', content: content('Health') },
            '503': { description: 'database unreachable', content: content('Health') },
          },
        },
      },
      '/api/openapi.json': {
        get: { operationId: 'getOpenApi', responses: { '200': { description: 'this document' } } },
      },
      '/api/proposals': {
        get: {
          operationId: 'listProposals',
          security: auth,
          parameters: queryParameters(),
          responses: {
            '200': { description: 'newest first', content: content('ProposalList') },
            '400': error('bad filter or cursor'),
            ...common,
          },
        },
        post: {
          operationId: 'createProposal',
          security: auth,
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } },
          ],
          requestBody: { required: true, content: content('CreateProposal') },
          responses: {
            '202': { description: 'stored; the preview runs in the background', content: content('Proposal') },
            ...bodyErrors,
            ...common,
            '409': error('Idempotency-Key reused with a different body (`idempotency_key_reused`)'),
          },
        },
      },
      '/api/proposals/{id}': {
        get: {
          operationId: 'getProposal',
          security: auth,
          parameters: [idParam, ...queryParameters(getProposalQuery)],
          responses: {
            '200': { description: 'the proposal', content: content('Proposal') },
            '404': error('no such proposal'),
            ...common,
          },
        },
      },
      '/api/proposals/{id}/revisions': {
        post: {
          operationId: 'reviseProposal',
          security: auth,
          parameters: [idParam],
          requestBody: { required: true, content: content('CreateRevision') },
          responses: {
            '202': { description: 'new revision stored; earlier approvals are void', content: content('Proposal') },
            ...bodyErrors,
            ...common,
            '404': error('no such proposal'),
            '409': error('the proposal can no longer be revised (`illegal_transition`)'),
          },
        },
      },
      '/api/proposals/{id}/withdraw': {
        post: {
          operationId: 'withdrawProposal',
          security: auth,
          parameters: [idParam],
          requestBody: { required: false, content: content('Withdraw') },
          responses: {
            '200': { description: 'withdrawn', content: content('Proposal') },
            ...bodyErrors,
            ...common,
            '404': error('no such proposal'),
            '409': error('not open any more (`illegal_transition`)'),
          },
        },
      },
      '/api/proposals/{id}/report': {
        get: {
          operationId: 'getProposalReport',
          security: auth,
          parameters: [idParam],
          responses: {
            '200': { description: 'the review report', content: { 'text/markdown': { schema: { type: 'string' } } } },
            '404': error('no such proposal'),
            ...common,
          },
        },
      },
      '/api/proposals/{id}/reviews': {
        post: {
          operationId: 'reviewProposal',
          description: 'Local review with a reviewer token (`schemagate agents create <name> --reviewer`).',
          security: auth,
          parameters: [idParam],
          requestBody: { required: true, content: content('Review') },
          responses: {
            '201': { description: 'recorded; `status` is the proposal status after it' },
            ...bodyErrors,
            ...common,
            '404': error('no such proposal'),
            '409': error(
              'not under review, or it changed since the reviewer read it (`illegal_transition`, `conflict`)',
            ),
          },
        },
      },
      '/api/proposals/{id}/events': {
        get: {
          operationId: 'listProposalEvents',
          security: auth,
          parameters: [idParam],
          responses: {
            '200': { description: 'audit trail, oldest first', content: content('EventList') },
            '404': error('no such proposal'),
            ...common,
          },
        },
      },
    },
  };
}
