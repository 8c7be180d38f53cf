import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';

/** The header that carries SCHEMAGATE_JOBS_SECRET from the functions that start jobs to the jobs background function. */
export const jobsSecretHeader = 'x-schemagate-jobs-secret';

/**
 * Refuses a call to the jobs background function that does not carry the
 * shared secret: anyone can reach a function's URL, and each call claims
 * previews and promotions and spends up to 15 minutes of function time.
 * Fails closed: without a configured secret nothing is accepted. Compared
 * in constant time (over sha256 digests, so the lengths always match).
 *
 * @example
 * verifyJobsSecret(request, config.jobsSecret); // throws AppError('invalid_jobs_secret') → 401
 */
export function verifyJobsSecret(request: Request, secret: string | undefined): void {
  if (!secret) {
    throw new AppError(
      'configuration_error',
      'SCHEMAGATE_JOBS_SECRET is not set: the jobs background function refuses every call without it',
    );
  }
  const given = request.headers.get(jobsSecretHeader);
  if (given === null || !timingSafeEqual(digest(given), digest(secret))) {
    throw new AppError(
      'invalid_jobs_secret',
      `the jobs background function needs the ${jobsSecretHeader} header with SCHEMAGATE_JOBS_SECRET`,
    );
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Starts the jobs background function of the site at `origin`, fire and
 * forget: Netlify answers a background function with 202 at once and runs
 * it on for up to 15 minutes. Resolves once the call is answered (or has
 * failed, which `log` reports: the sweeper starts it again within a minute).
 *
 * @example
 * await startBackgroundJobs('https://schemagate.example.com', config.jobsSecret, console.error);
 */
export async function startBackgroundJobs(
  origin: string,
  secret: string,
  log: (message: string, error?: unknown) => void,
  timeoutMs = 10_000,
): Promise<boolean> {
  try {
    const response = await fetch(new URL('/.netlify/functions/jobs-background', origin), {
      method: 'POST',
      headers: { [jobsSecretHeader]: secret },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.ok) return true;
    log(`the jobs background function answered ${response.status}; the sweeper will start it again`);
  } catch (error) {
    log('could not start the jobs background function; the sweeper will start it again', error);
  }
  return false;
}
