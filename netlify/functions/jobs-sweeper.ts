import type { Config, Context } from '@netlify/functions';
import { sweepJobs } from '../../src/jobs/entry.ts';

// Netlify gives a scheduled function 30 s: the sweeper housekeeps for at most
// 20 s and hands waiting previews and promotions to the jobs background function.
export default async (_request: Request, context?: Context) => {
  await sweepJobs({ siteUrl: context?.site?.url });
};

export const config: Config = { schedule: '* * * * *' };
