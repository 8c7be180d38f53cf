import { AppError } from '../errors.ts';

export interface ClientOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
}

export interface ProposalView {
  id: string;
  status: string;
  title: string;
  name: string;
  revision: { number: number; sha256: string };
  links: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The schemagate HTTP API for agents and scripts. Failures are `AppError`s
 * that say what to do: `unavailable` (no server), `unauthorized` (token),
 * `remote_error` (the server failed), or the API's own error code.
 *
 * @example
 * const api = createApiClient({ url: 'http://localhost:8888', token });
 * const proposal = await api.propose({ title: 'Add notes', sql });
 */
export function createApiClient(options: ClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return parseJson((await exchange(method, path, body, headers)).text) as T;
  }

  // The raw body and headers of a successful answer; failures become AppErrors here, once.
  // An abort through `signal` rejects with the AbortError as it is: the caller asked for it.
  async function exchange(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<{ text: string; headers: Headers }> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new AppError(
        'unavailable',
        `cannot reach schemagate at ${base} (${cause}); is \`schemagate serve\` running, and is SCHEMAGATE_URL right?`,
      );
    }
    const text = await response.text();
    if (response.ok) return { text, headers: response.headers };
    const parsed = parseJson(text);
    const apiError = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (response.status === 401) {
      throw new AppError(
        'unauthorized',
        `schemagate refused the token: ${apiError?.message ?? 'unauthorized'}; set SCHEMAGATE_TOKEN or pass --token`,
      );
    }
    if (response.status >= 500 || !apiError?.code) {
      throw new AppError(
        'remote_error',
        `schemagate answered ${response.status}: ${apiError?.message ?? text.slice(0, 200)}`,
      );
    }
    throw new AppError(
      apiError.code as AppError['code'],
      apiError.message ?? `HTTP ${response.status}`,
      apiError.details,
    );
  }

  return {
    propose: (
      input: { title: string; sql: string; description?: string; down_sql?: string; name?: string },
      idempotencyKey?: string,
    ) =>
      call<ProposalView>('POST', '/api/proposals', input, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    get: (id: string) => call<ProposalView>('GET', `/api/proposals/${encodeURIComponent(id)}`),
    /**
     * A long poll: the server answers when the proposal is in `status`, has
     * ended, has moved on from its status, or the seconds pass (at most 55).
     * `held` is its `Schemagate-Wait` answer (`reached`, `ended`, `changed`,
     * `timeout`), or null from a server without the long poll, which answered
     * at once.
     */
    hold: async (
      id: string,
      wait: { status: string; timeoutSeconds: number },
      signal?: AbortSignal,
    ): Promise<{ proposal: ProposalView; held: string | null }> => {
      const query = new URLSearchParams({
        wait_for: wait.status,
        timeout: String(Math.max(0, Math.min(55, wait.timeoutSeconds))),
      });
      const answer = await exchange('GET', `/api/proposals/${encodeURIComponent(id)}?${query}`, undefined, {}, signal);
      return { proposal: parseJson(answer.text) as ProposalView, held: answer.headers.get('schemagate-wait') };
    },
    list: (query: {
      status?: string | undefined;
      limit?: number | undefined;
      cursor?: string | undefined;
      mine?: boolean | undefined;
      q?: string | undefined;
    }) => {
      const params = new URLSearchParams(
        Object.entries(query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      );
      return call<{ items: ProposalView[]; next_cursor: string | null }>(
        'GET',
        `/api/proposals${params.size ? `?${params}` : ''}`,
      );
    },
    revise: (id: string, input: { sql: string; down_sql?: string }) =>
      call<ProposalView>('POST', `/api/proposals/${encodeURIComponent(id)}/revisions`, input),
    withdraw: (id: string, reason?: string) =>
      call<ProposalView>('POST', `/api/proposals/${encodeURIComponent(id)}/withdraw`, reason ? { reason } : {}),
    /** The review report as markdown, as the pull request shows it. */
    report: async (id: string) => (await exchange('GET', `/api/proposals/${encodeURIComponent(id)}/report`)).text,
    events: (id: string) =>
      call<{ items: Array<{ type: string; to_status: string | null; created_at: string }> }>(
        'GET',
        `/api/proposals/${encodeURIComponent(id)}/events`,
      ),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
