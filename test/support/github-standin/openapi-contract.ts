import { readFile } from 'node:fs/promises';
import { OpenAPIBackend, type Request as OpenApiRequest } from 'openapi-backend';

const SPEC = new URL('./github-openapi.trimmed.json', import.meta.url);
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export interface ContractError {
  instancePath?: string;
  message?: string;
  params?: unknown;
}

export interface MatchedOperation {
  operationId: string;
  params: Record<string, string>;
}

/**
 * GitHub's published OpenAPI description (trimmed, see
 * scripts/trim-github-openapi.mjs) as a router and validator.
 */
export class OpenApiContract {
  readonly #api: OpenAPIBackend;

  private constructor(api: OpenAPIBackend) {
    this.#api = api;
  }

  static #shared: Promise<OpenApiContract> | undefined;

  /** One compiled contract per process: stand-ins only read it. */
  static load(): Promise<OpenApiContract> {
    OpenApiContract.#shared ??= OpenApiContract.#compile();
    return OpenApiContract.#shared;
  }

  static async #compile(): Promise<OpenApiContract> {
    const definition = JSON.parse(await readFile(SPEC, 'utf8'));
    const api = new OpenAPIBackend({
      definition,
      quick: true,
      validate: true,
      coerceTypes: true,
      ajvOpts: { allErrors: true, strict: false },
      customizeAjv: (ajv) => {
        // openapi-backend ignores unknown formats; GitHub's schemas lean on these three.
        ajv.addFormat('uri', { type: 'string', validate: (value: string) => URL.canParse(value) });
        ajv.addFormat('date-time', {
          type: 'string',
          validate: (value: string) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
        });
        ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
        return ajv;
      },
    });
    await api.init();
    return new OpenApiContract(api);
  }

  match(request: OpenApiRequest): MatchedOperation | undefined {
    const operation = this.#api.router.matchOperation(request);
    if (!operation?.operationId) return undefined;
    const parsed = this.#api.router.parseRequest(request, operation);
    return { operationId: operation.operationId, params: parsed.params as Record<string, string> };
  }

  /** Errors of a request against the operation's parameters and body; [] when valid. */
  validateRequest(
    request: OpenApiRequest,
    operationId: string,
  ): { errors: ContractError[]; query: Record<string, unknown> } {
    const result = this.#api.validateRequest(request, operationId);
    const coerced = (result as { coerced?: { query?: Record<string, unknown> } }).coerced;
    return {
      errors: (result.errors ?? []) as ContractError[],
      query: coerced?.query ?? (request.query as Record<string, unknown>) ?? {},
    };
  }

  /** Errors of a response body against the schema for `status`; [] when valid or undescribed. */
  validateResponse(body: unknown, operationId: string, status: number): ContractError[] {
    const operation = this.#api.getOperation(operationId);
    const responses = (operation?.responses ?? {}) as Record<string, { content?: unknown }>;
    const described = responses[String(status)];
    if (!described) return [];
    if (body === undefined) {
      return described.content
        ? [{ instancePath: '', message: `the description gives ${operationId} ${status} a body; the answer had none` }]
        : [];
    }
    return (this.#api.validateResponse(body, operationId, status).errors ?? []) as ContractError[];
  }
}
