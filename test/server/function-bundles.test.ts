import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipFunction } from '@netlify/zip-it-and-ship-it';
import { expect, it } from 'vitest';
import { productionNetlifyConfig } from '../support/netlify-config.ts';

const root = path.resolve(import.meta.dirname, '../..');

it("bundles the jobs background function with the SQL parser's WebAssembly, as netlify.toml asks", async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'sg-bundle-'));
  try {
    const config = await productionNetlifyConfig();
    const functions = config.functions['*'];
    const result = await zipFunction(path.join(root, 'netlify/functions/jobs-background.ts'), out, {
      archiveFormat: 'none',
      basePath: root,
      config: {
        '*': {
          externalNodeModules: functions.external_node_modules,
          includedFiles: functions.included_files,
          includedFilesBasePath: root,
          nodeBundler: 'esbuild_zisi',
        },
      },
    });
    expect(result?.path).toBeDefined();
    const files = await readdir(path.join(out, 'jobs-background/node_modules/libpg-query/wasm'));
    expect(files).toContain('libpg-query.wasm');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 60_000);
