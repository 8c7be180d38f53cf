/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes every command shares; CI acts on them. */
export const exitCodes = {
  ok: 0,
  /** Findings at or above the fail level, or the operation did not succeed. */
  failed: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** `wait` gave up before the proposal reached the awaited status. */
  timeout: 3,
  /** The server could not be reached, refused the token, or failed. */
  unavailable: 4,
} as const;

export const processIO = (): CliIO => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
