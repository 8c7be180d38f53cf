import type { Config } from '@netlify/functions';
import { runJobs } from '../../src/jobs/entry.ts';

// Takes over previews and promotions whose worker died (their claim expired) and drops expired branches.
export default async () => {
  await runJobs({ sweep: true });
};

export const config: Config = { schedule: '* * * * *' };
