import type { GithubRepo } from './github-client.ts';
import { isGithubAnswer } from './github-request-error.ts';

export type RepoPermission = 'admin' | 'write' | 'read' | 'none';

export interface ReviewerPermission {
  /** GitHub's folded permission: maintain counts as write, triage as read. */
  permission: RepoPermission;
  /** The real role (admin, maintain, write, triage, read, or a custom role). */
  roleName: string;
}

const KNOWN: ReadonlySet<string> = new Set(['admin', 'write', 'read', 'none']);

/**
 * What `login` may do in the repository. An account GitHub does not know
 * (404) has no permission.
 *
 * @example
 *   const { permission } = await getPermission(target, 'alice');
 *   const mayApprove = permission === 'write' || permission === 'admin';
 */
export async function getPermission(target: GithubRepo, login: string): Promise<ReviewerPermission> {
  try {
    const { data } = await target.client.rest.repos.getCollaboratorPermissionLevel({
      owner: target.owner,
      repo: target.repo,
      username: login,
    });
    // Anything unexpected is treated as no permission: approval rights must never be guessed upwards.
    const permission = KNOWN.has(data.permission) ? (data.permission as RepoPermission) : 'none';
    return { permission, roleName: data.role_name };
  } catch (error) {
    if (isGithubAnswer(error, 404)) return { permission: 'none', roleName: 'none' };
    throw error;
  }
}

/**
 * Whether `login` is an active member of `team` ("org/team", or a slug in the
 * repository owner's organisation). Unknown teams and users are not members.
 *
 * @example
 *   await isTeamMember(target, 'acme/dba', 'alice'); // true or false
 */
export async function isTeamMember(target: GithubRepo, team: string, login: string): Promise<boolean> {
  const [org, slug] = team.includes('/') ? team.split('/', 2) : [target.owner, team];
  try {
    const { data } = await target.client.rest.teams.getMembershipForUserInOrg({
      org: org!,
      team_slug: slug!,
      username: login,
    });
    return data.state === 'active';
  } catch (error) {
    if (isGithubAnswer(error, 404)) return false;
    throw error;
  }
}
