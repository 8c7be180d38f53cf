/**
 * Reads every 100 ms until `done` accepts the value, and returns it; gives up
 * after a minute, a generous bound on a busy machine (a worker's own poll, 10
 * minutes in these tests, never comes within it: only a wake-up can be seen).
 *
 * @example
 * await until(() => queuedCount(app), (n) => n === 0, 'the queue to drain');
 */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}
