import { runJobs } from '../../src/jobs/entry.ts';

// A background function: Netlify answers 202 at once and runs this for up to 15 minutes.
export default async () => {
  await runJobs();
};
