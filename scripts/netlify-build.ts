// The Netlify build (netlify.toml [build].command): the publish directory
// gets the review dashboard and nothing else, and the control plane is
// migrated before the new functions go live.
//   node scripts/netlify-build.ts [publishDir]
import { buildNetlifySite } from '../src/server/netlify-build.ts';

const publishDir = process.argv[2] ?? 'public';
const result = await buildNetlifySite({
  env: process.env,
  cwd: process.cwd(),
  publishDir,
  log: (line) => console.log(line),
}).catch((error: Error) => {
  console.error(`schemagate: ${error.message}`);
  process.exit(1);
});
console.log(
  `schemagate: published ${result.files.join(', ')} in ${publishDir}; ${result.applied} control-plane migration(s) applied`,
);
