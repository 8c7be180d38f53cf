import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';

/** Runs the CLI in-process with captured output. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
