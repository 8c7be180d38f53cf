import type { GithubRepo } from './github-client.ts';

export type ReviewCheckState = 'pending' | 'success' | 'failure' | 'error';

export interface SetStatusInput {
  headSha: string;
  state: ReviewCheckState;
  description: string;
  targetUrl?: string;
  /** `status` works with any token; `check` needs a GitHub App. */
  mode: 'status' | 'check';
  /** Status context / check run name. */
  name?: string;
  /** Markdown shown on the check run page (check mode only). */
  details?: string;
}

export interface SetStatusResult {
  mode: 'status' | 'check';
  id: number;
}

export const CHECK_NAME = 'schemagate';

// GitHub refuses commit status descriptions over 140 characters.
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Reports schemagate's verdict on a head commit: a commit status, or a check
 * run named "schemagate" that is created once per head and updated after.
 *
 * @example
 *   await setStatus(target, { headSha, state: 'pending', description: 'Waiting for approval', mode: 'check' });
 *   await setStatus(target, { headSha, state: 'success', description: 'Applied to production', mode: 'check' });
 */
export async function setStatus(target: GithubRepo, input: SetStatusInput): Promise<SetStatusResult> {
  const { owner, repo, client } = target;
  const name = input.name ?? CHECK_NAME;
  if (input.mode === 'status') {
    const { data } = await client.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: input.headSha,
      state: input.state,
      context: name,
      description: shorten(input.description, 140),
      ...(input.targetUrl ? { target_url: input.targetUrl } : {}),
    });
    return { mode: 'status', id: data.id };
  }
  const fields = {
    ...(input.targetUrl ? { details_url: input.targetUrl } : {}),
    output: { title: shorten(input.description, 255), summary: input.details ?? input.description },
    ...(input.state === 'pending'
      ? { status: 'in_progress' as const }
      : // A check run has no "error" conclusion; failure blocks the merge the same way.
        {
          status: 'completed' as const,
          conclusion: input.state === 'success' ? ('success' as const) : ('failure' as const),
        }),
  };
  const { data: existing } = await client.rest.checks.listForRef({
    owner,
    repo,
    ref: input.headSha,
    check_name: name,
    filter: 'latest',
  });
  const run = existing.check_runs[0];
  if (run) {
    const { data } = await client.rest.checks.update({ owner, repo, check_run_id: run.id, ...fields });
    return { mode: 'check', id: data.id };
  }
  const { data } = await client.rest.checks.create({ owner, repo, name, head_sha: input.headSha, ...fields });
  return { mode: 'check', id: data.id };
}
