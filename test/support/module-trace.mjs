// Records every module URL this process loads and writes the list, one per
// line, to $SCHEMAGATE_MODULE_TRACE at exit: `node --import` this file to
// see a command's real module graph (ESM and CommonJS alike).
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.once('exit', () => {
  if (process.env.SCHEMAGATE_MODULE_TRACE) writeFileSync(process.env.SCHEMAGATE_MODULE_TRACE, [...loaded].join('\n'));
});
