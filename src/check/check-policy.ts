import { access } from 'node:fs/promises';
import path from 'node:path';
import { defaultPolicy, loadPolicyFile, type Policy } from '../sql/policy.ts';

/**
 * The policy a check runs under: the `policy` key of `configPath`, else of
 * `<dir>/schemagate.config.json` when the repository has one, else the
 * defaults. An explicit path must exist. Throws a PolicyError
 * (`configuration_error`) listing every problem of an invalid policy.
 *
 * @example
 * const policy = await loadCheckPolicy('/repo'); // reads /repo/schemagate.config.json if present
 */
export async function loadCheckPolicy(dir: string, configPath?: string): Promise<Policy> {
  let file = configPath;
  if (file === undefined) {
    const candidate = path.join(dir, 'schemagate.config.json');
    const exists = await access(candidate).then(
      () => true,
      () => false,
    );
    if (!exists) return defaultPolicy;
    file = candidate;
  }
  return loadPolicyFile(file);
}
