import { handleJobsRequest } from '../../src/jobs/entry.ts';

// A background function: Netlify answers 202 at once and runs this for up to 15 minutes.
// Only calls that carry SCHEMAGATE_JOBS_SECRET run jobs (the API and the sweeper send it).
export default (request: Request) => handleJobsRequest(request);
