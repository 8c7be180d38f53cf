import type { Config } from '@netlify/functions';
import { runPreviewQueue } from '../../src/jobs/entry.ts';

// Takes over previews whose worker died (their claim expired) and drops expired branches.
export default async () => {
  await runPreviewQueue({ sweep: true });
};

export const config: Config = { schedule: '* * * * *' };
