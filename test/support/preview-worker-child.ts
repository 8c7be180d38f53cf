// A preview worker in its own process, for tests that kill it mid-preview.
// Prints "claimed <run id>" once it holds a claim, then never finishes.
import { openDatabase } from '../../src/database/connection.ts';
import { processNextPreview } from '../../src/jobs/preview-worker.ts';

const [url, leaseMs] = process.argv.slice(2);
const { db } = openDatabase(url ?? '');
await processNextPreview({
  db,
  worker: `child-${process.pid}`,
  leaseMs: Number(leaseMs),
  execute: (request) => {
    process.stdout.write(`claimed ${request.proposalId}\n`);
    return new Promise(() => {});
  },
});
