import { AppError } from '../../errors.ts';
import type { GithubRepo } from './github-client.ts';
import { isGithubAnswer } from './github-request-error.ts';

export interface RepoFile {
  /** The exact bytes stored in git. */
  content: Buffer;
  /** The git blob sha (what create-or-update-file-contents wants back). */
  blobSha: string;
}

/**
 * The bytes of `path` at a commit (or branch), or undefined when the file is
 * not there. Used to check that what was approved is what gets applied.
 *
 * @example
 *   const file = await getFileAtCommit(target, 'netlify/database/migrations/20261124103000_add_notes.sql', headSha);
 *   const digest = createHash('sha256').update(file!.content).digest('hex');
 */
export async function getFileAtCommit(target: GithubRepo, path: string, ref: string): Promise<RepoFile | undefined> {
  let data: unknown;
  try {
    ({ data } = await target.client.rest.repos.getContent({ owner: target.owner, repo: target.repo, path, ref }));
  } catch (error) {
    if (isGithubAnswer(error, 404)) return undefined;
    throw error;
  }
  const file = data as { type?: string; encoding?: string; content?: string; sha?: string };
  if (Array.isArray(data) || file.type !== 'file') {
    throw new AppError('remote_error', `${path} at ${ref} in ${target.owner}/${target.repo} is not a file.`);
  }
  if (file.encoding !== 'base64' || file.content === undefined || !file.sha) {
    // The contents API stops inlining files over 1 MB; migrations that large are refused upstream.
    throw new AppError(
      'remote_error',
      `GitHub did not inline ${path} at ${ref} (encoding ${file.encoding ?? 'none'}); files over 1 MB are not supported.`,
    );
  }
  return { content: Buffer.from(file.content, 'base64'), blobSha: file.sha };
}

/**
 * Commits `content` as `path` on `branch`, creating or replacing the file,
 * and returns the new commit sha. Passing the current blob sha is what GitHub
 * requires to replace a file; a concurrent change (409) is retried once.
 *
 * @example
 *   const { commitSha } = await writeFile(target, { branch: 'schemagate/p1', path, content: sql, message: 'Add migration' });
 */
export async function writeFile(
  target: GithubRepo,
  input: { branch: string; path: string; content: string | Buffer; message: string },
): Promise<{ commitSha: string; changed: boolean }> {
  const bytes = Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content, 'utf8');
  for (let attempt = 0; ; attempt += 1) {
    const current = await getFileAtCommit(target, input.path, input.branch);
    if (current?.content.equals(bytes)) {
      const { data } = await target.client.rest.git.getRef({
        owner: target.owner,
        repo: target.repo,
        ref: `heads/${input.branch}`,
      });
      return { commitSha: data.object.sha, changed: false };
    }
    try {
      const { data } = await target.client.rest.repos.createOrUpdateFileContents({
        owner: target.owner,
        repo: target.repo,
        path: input.path,
        branch: input.branch,
        message: input.message,
        content: bytes.toString('base64'),
        ...(current ? { sha: current.blobSha } : {}),
      });
      const commitSha = data.commit.sha;
      if (!commitSha)
        throw new AppError('remote_error', `GitHub did not return the commit for ${input.path} on ${input.branch}.`);
      return { commitSha, changed: true };
    } catch (error) {
      if (attempt === 0 && isGithubAnswer(error, 409)) continue;
      throw error;
    }
  }
}
