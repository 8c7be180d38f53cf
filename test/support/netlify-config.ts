import path from 'node:path';
import { resolveConfig } from '@netlify/config';

/** The repository this test suite belongs to. */
export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/**
 * The site configuration as a production deploy resolves netlify.toml (offline: no API calls).
 *
 * @example
 * const { functions } = await productionNetlifyConfig(); // functions['*'].node_bundler === 'esbuild'
 */
export async function productionNetlifyConfig() {
  const { config } = await resolveConfig({
    config: path.join(repositoryRoot, 'netlify.toml'),
    context: 'production',
    cwd: repositoryRoot,
    offline: true,
    mode: 'cli',
    repositoryRoot,
  });
  return config;
}
