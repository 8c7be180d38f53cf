import path from 'node:path';
import { resolveConfig } from '@netlify/config';

/** The repository this test suite belongs to. */
const repositoryRoot = path.resolve(import.meta.dirname, '../..');

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

/**
 * The functions directory and zip-it-and-ship-it's options to build it as a
 * deploy does: netlify.toml's [functions] settings, unpacked (`archiveFormat: 'none'`).
 *
 * @example
 * const { directory, options } = await deployBundleOptions();
 * await zipFunctions(directory, out, options);
 */
export async function deployBundleOptions() {
  const config = await productionNetlifyConfig();
  const functions = config.functions['*'];
  return {
    directory: path.resolve(repositoryRoot, config.functionsDirectory ?? 'netlify/functions'),
    options: {
      archiveFormat: 'none' as const,
      basePath: repositoryRoot,
      config: {
        '*': {
          externalNodeModules: functions.external_node_modules,
          includedFiles: functions.included_files,
          includedFilesBasePath: repositoryRoot,
          nodeBundler: functions.node_bundler,
        },
      },
    },
  };
}
