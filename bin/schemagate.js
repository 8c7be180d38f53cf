#!/usr/bin/env node
// Plain JavaScript so that an older Node can still say what is wrong.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `schemagate needs Node 22.12 or newer (this is ${process.version}).\n` +
      'Run it through npm (`npx schemagate ...`, `npm start`): the project brings its own Node 22.\n',
  );
  process.exit(2);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
