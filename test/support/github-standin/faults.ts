import type { HandlerResult } from './handler-types.ts';

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds: number }
  | { kind: 'primary-rate-limit'; resetInSeconds: number }
  /** Lets the handler answer, then changes its body: proves the response check bites. */
  | { kind: 'corrupt'; mutate: (body: any) => void };

/** Faults queued per operationId, consumed one per matching request. */
export class FaultPlan {
  readonly #queued = new Map<string, Fault[]>();

  add(operationId: string, fault: Fault, times: number): void {
    const list = this.#queued.get(operationId) ?? [];
    for (let i = 0; i < times; i += 1) list.push(fault);
    this.#queued.set(operationId, list);
  }

  take(operationId: string): Fault | undefined {
    return this.#queued.get(operationId)?.shift();
  }

  clear(): void {
    this.#queued.clear();
  }
}

/** The answer GitHub gives for a fault, headers included. */
export function faultResponse(fault: Fault): HandlerResult {
  const docs = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';
  const resetAt = (seconds: number) => String(Math.ceil(Date.now() / 1000) + seconds);
  switch (fault.kind) {
    case 'corrupt':
      throw new Error('a corrupt fault changes a real answer; it has no answer of its own');
    case 'status':
      return {
        status: fault.status,
        body: { message: fault.status === 502 ? 'Server Error' : 'Service Unavailable', status: String(fault.status) },
      };
    case 'secondary-rate-limit':
      return {
        status: 403,
        headers: {
          'retry-after': String(fault.retryAfterSeconds),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': resetAt(fault.retryAfterSeconds),
        },
        body: {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: docs,
          status: '403',
        },
      };
    case 'primary-rate-limit':
      return {
        status: 403,
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': resetAt(fault.resetInSeconds),
        },
        body: { message: 'API rate limit exceeded for installation.', documentation_url: docs, status: '403' },
      };
  }
}
