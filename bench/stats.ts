import { performance } from 'node:perf_hooks';

/**
 * The value at quantile `q` (0 to 1) of `values`, by nearest rank; undefined when there are none.
 *
 * @example
 * quantile([5, 1, 3, 9], 0.5); // 5
 */
export function quantile(values: number[], q: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

/** The middle value (the upper one of an even count); for a list that is never empty. */
export const median = (values: number[]): number => quantile(values, 0.5)!;

/** Milliseconds `fn` took, and what it returned. */
export async function timedValue<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/**
 * Milliseconds `fn` took.
 *
 * @example
 * times.push(await timed(() => client.query('select 1')));
 */
export const timed = async (fn: () => unknown): Promise<number> => (await timedValue(fn)).ms;
