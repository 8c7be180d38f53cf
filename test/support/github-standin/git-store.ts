import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number;
  name: string;
  path: string;
}

export interface FileChange {
  status: 'added' | 'modified' | 'removed';
  path: string;
  additions: number;
  deletions: number;
}

const ZERO = '0'.repeat(40);

/**
 * A bare git repository driven through the `git` CLI, so SHAs, trees and refs
 * are the real thing. Writes are serialised: git's ref locking would refuse
 * concurrent updates, and the stand-in should answer as GitHub does instead.
 *
 * @example
 *   const git = await GitStore.create();
 *   const sha = await git.commitFiles('main', { 'README.md': 'hi\n' }, 'init', author);
 */
export class GitStore {
  readonly dir: string;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(): Promise<GitStore> {
    const dir = await mkdtemp(path.join(tmpdir(), 'github-standin-'));
    const store = new GitStore(dir);
    await store.git(['init', '--bare', '--quiet', '--initial-branch=main']);
    return store;
  }

  async destroy(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  git(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { cwd: this.dir, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...options.env } },
        (error, stdout, stderr) => {
          if (error) reject(Object.assign(error, { stderr: stderr.toString() }));
          else resolve(stdout);
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
    });
  }

  async text(args: string[]): Promise<string> {
    return (await this.git(args)).toString('utf8').trim();
  }

  /** Runs `work` after every earlier write finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** The commit a ref or sha names, or undefined. */
  async resolve(refOrSha: string): Promise<string | undefined> {
    try {
      return await this.text(['rev-parse', '--verify', '--quiet', `${refOrSha}^{commit}`]);
    } catch {
      return undefined;
    }
  }

  async objectExists(sha: string): Promise<boolean> {
    return this.git(['cat-file', '-e', sha]).then(
      () => true,
      () => false,
    );
  }

  async refs(prefix = 'refs/'): Promise<Map<string, string>> {
    const out = await this.text(['for-each-ref', '--format=%(refname) %(objectname)', prefix]);
    return new Map(
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ') as [string, string]),
    );
  }

  /** Compare-and-swap on a ref; `expected` undefined means "must not exist". */
  async setRef(ref: string, sha: string, expected: string | undefined): Promise<void> {
    await this.git(['update-ref', ref, sha, expected ?? ZERO]);
  }

  async deleteRef(ref: string): Promise<void> {
    await this.git(['update-ref', '-d', ref]);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.git(['merge-base', '--is-ancestor', ancestor, descendant]).then(
      () => true,
      () => false,
    );
  }

  async entry(commit: string, filePath: string): Promise<TreeEntry | undefined> {
    const out = await this.text(['ls-tree', '-l', '--full-tree', commit, '--', filePath]);
    return out ? parseTreeLine(out) : undefined;
  }

  async listDirectory(commit: string, dirPath: string): Promise<TreeEntry[]> {
    const out = await this.text(['ls-tree', '-l', '--full-tree', commit, '--', `${dirPath.replace(/\/$/, '')}/`]);
    return out.split('\n').filter(Boolean).map(parseTreeLine);
  }

  async readBlob(sha: string): Promise<Buffer> {
    return this.git(['cat-file', 'blob', sha]);
  }

  async commitInfo(sha: string): Promise<{ tree: string; parents: string[]; message: string; date: string }> {
    const out = await this.text(['show', '-s', '--format=%T%n%P%n%ct%n%B', sha]);
    const [tree = '', parents = '', seconds = '0', ...message] = out.split('\n');
    const date = new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { tree, parents: parents.split(' ').filter(Boolean), date, message: message.join('\n') };
  }

  /** Writes a commit on top of `parent` changing `files` (null deletes). */
  async writeCommit(
    parent: string | undefined,
    files: Record<string, string | Buffer | null>,
    message: string,
    author: GitIdentity,
  ): Promise<string> {
    const index = path.join(this.dir, `index-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      if (parent) await this.git(['read-tree', parent], { env });
      for (const [filePath, content] of Object.entries(files)) {
        if (content === null) {
          await this.git(['update-index', '--force-remove', '--', filePath], { env });
          continue;
        }
        const blob = (await this.git(['hash-object', '-w', '--stdin'], { input: content })).toString().trim();
        await this.git(['update-index', '--add', '--cacheinfo', `100644,${blob},${filePath}`], { env });
      }
      const tree = (await this.git(['write-tree'], { env })).toString().trim();
      return await this.commitTree(tree, parent ? [parent] : [], message, author);
    } finally {
      await rm(index, { force: true });
    }
  }

  async commitTree(tree: string, parents: string[], message: string, author: GitIdentity): Promise<string> {
    const env = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    };
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])];
    return (await this.git(args, { input: message, env })).toString().trim();
  }

  /** The tree of merging `theirs` into `ours`, or undefined on conflict. */
  async mergeTree(ours: string, theirs: string): Promise<string | undefined> {
    try {
      return (await this.text(['merge-tree', '--write-tree', ours, theirs])).split('\n')[0];
    } catch {
      return undefined;
    }
  }

  async changes(base: string, head: string): Promise<FileChange[]> {
    const mergeBase = await this.text(['merge-base', base, head]);
    const numstat = await this.text(['diff', '--numstat', '--no-renames', mergeBase, head]);
    const names = await this.text(['diff', '--name-status', '--no-renames', mergeBase, head]);
    const statusOf = new Map(
      names
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(2), l[0]]),
    );
    return numstat
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [add = '0', del = '0', ...rest] = line.split('\t');
        const filePath = rest.join('\t');
        const code = statusOf.get(filePath);
        return {
          path: filePath,
          status: code === 'A' ? 'added' : code === 'D' ? 'removed' : 'modified',
          additions: Number(add) || 0,
          deletions: Number(del) || 0,
        };
      });
  }

  async patch(base: string, head: string, filePath: string): Promise<string> {
    const mergeBase = await this.text(['merge-base', base, head]);
    const out = (await this.git(['diff', '--no-renames', mergeBase, head, '--', filePath])).toString('utf8');
    const hunk = out.indexOf('\n@@');
    return hunk === -1 ? '' : out.slice(hunk + 1).replace(/\n$/, '');
  }

  async countCommits(base: string, head: string): Promise<number> {
    return Number(await this.text(['rev-list', '--count', `${base}..${head}`]));
  }
}

function parseTreeLine(line: string): TreeEntry {
  const tab = line.indexOf('\t');
  const [mode = '', type = '', sha = '', size = ''] = line.slice(0, tab).split(/\s+/);
  const entryPath = line.slice(tab + 1);
  return {
    mode,
    type: type as TreeEntry['type'],
    sha,
    size: size === '-' ? 0 : Number(size),
    path: entryPath,
    name: entryPath.split('/').pop() ?? entryPath,
  };
}
