// Builds the published package: the sources emitted as JavaScript under
// dist/ by tsc (file for file, relative `.ts` imports rewritten to `.js`,
// because Node does not strip types from files under node_modules), plus the
// control-plane migrations the code reads at run time. A checkout never needs
// it: development runs the TypeScript sources directly. `npm pack` runs it.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

await rm(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

// src/database/migrate.ts reads ../../migrations: dist/migrations beside dist/src.
// drizzle's migrator needs the SQL files and the journal, not the snapshots.
const migrations = path.join(root, 'migrations');
await mkdir(path.join(dist, 'migrations', 'meta'), { recursive: true });
for (const file of (await readdir(migrations)).filter((f) => f.endsWith('.sql'))) {
  await cp(path.join(migrations, file), path.join(dist, 'migrations', file));
}
await cp(path.join(migrations, 'meta', '_journal.json'), path.join(dist, 'migrations', 'meta', '_journal.json'));
