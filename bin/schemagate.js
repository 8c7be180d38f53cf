#!/usr/bin/env node
// Plain JavaScript so that an older Node can still say what is wrong.
import { existsSync } from 'node:fs';

// A checkout runs its TypeScript sources, which needs Node to strip types
// (unflagged from 22.18). The published package holds no src/, only the
// JavaScript `npm pack` built into dist/: it runs from Node 20.0, the floor
// `engines` states and test/package/ installs and runs the package on.
const source = new URL('../src/cli/main.ts', import.meta.url);
const fromSource = existsSync(source);
const floor = fromSource ? [22, 18] : [20, 0];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < floor[0] || (major === floor[0] && minor < floor[1])) {
  process.stderr.write(
    `schemagate needs Node ${floor.join('.')} or newer (this is ${process.version}).\n` +
      (fromSource
        ? 'In a checkout, run it through npm (`npx schemagate ...`, `npm start`): the project brings its own Node 22.\n'
        : ''),
  );
  process.exit(2);
}
const { main } = await import(fromSource ? source : new URL('../dist/src/cli/main.js', import.meta.url));
process.exitCode = await main(process.argv.slice(2));
