import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipFunction } from '@netlify/zip-it-and-ship-it';
import { expect, it } from 'vitest';
import { deployBundleOptions } from '../support/netlify-config.ts';

it("bundles the jobs background function with the SQL parser's WebAssembly, as netlify.toml asks", async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'sg-bundle-'));
  try {
    const { directory, options } = await deployBundleOptions();
    const result = await zipFunction(path.join(directory, 'jobs-background.ts'), out, options);
    expect(result?.path).toBeDefined();
    const files = await readdir(path.join(out, 'jobs-background/node_modules/libpg-query/wasm'));
    expect(files).toContain('libpg-query.wasm');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 60_000);
