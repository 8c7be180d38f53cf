/**
 * Reads every `everyMs` (100) until `done` accepts the value, and returns it;
 * gives up after `forMs` (a minute, a generous bound on a busy machine: a
 * worker's own poll, 10 minutes in these tests, never comes within it, so
 * only a wake-up can be seen).
 *
 * @example
 * await until(() => queuedCount(app), (n) => n === 0, 'the queue to drain');
 */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  { everyMs = 100, forMs = 60_000 }: { everyMs?: number; forMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + forMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
