import type { GitIdentity, GitStore } from './git-store.ts';
import type { Actor } from './handler-types.ts';

/** A repository role as GitHub names it; the permission API folds some. */
export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface UserRecord {
  id: number;
  login: string;
  role: RepoRole;
  type: 'User' | 'Bot' | 'Organization';
}

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  headRef: string;
  headSha: string;
  baseRef: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
}

export interface ReviewRecord {
  id: number;
  pullNumber: number;
  login: string;
  state: ReviewState;
  commitId: string;
  body: string;
  submittedAt: string;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  login: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  targetUrl: string | null;
  context: string;
  creator: string;
  createdAt: string;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  title: string | null;
  summary: string | null;
  text: string | null;
  startedAt: string;
  completedAt: string | null;
}

export interface TeamRecord {
  id: number;
  slug: string;
  members: string[];
}

export interface AppRecord {
  appId: number;
  slug: string;
  publicKey: string;
  installationId: number;
}

/**
 * Everything the stand-in knows about the one repository it serves. Handlers
 * read and change it; git holds the file contents and refs.
 */
export class StandinState {
  readonly owner: string;
  readonly repo: string;
  readonly git: GitStore;
  apiUrl = '';
  readonly users = new Map<string, UserRecord>();
  readonly tokens = new Map<string, Actor>();
  readonly teams = new Map<string, TeamRecord>();
  readonly pulls = new Map<number, PullRecord>();
  readonly reviews: ReviewRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly labels = new Map<string, LabelRecord>();
  readonly statuses: StatusRecord[] = [];
  readonly checkRuns = new Map<number, CheckRunRecord>();
  readonly apps = new Map<number, AppRecord>();
  repoId = 700_001;
  createdAt = now();
  #nextId = 1_000;
  #nextNumber = 1;

  constructor(owner: string, repo: string, git: GitStore) {
    this.owner = owner;
    this.repo = repo;
    this.git = git;
  }

  nextId(): number {
    return this.#nextId++;
  }

  /** Pull requests and issues share one number sequence on GitHub. */
  nextNumber(): number {
    return this.#nextNumber++;
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** Web pages live under the stand-in's own origin: nothing points at github.com. */
  get htmlBase(): string {
    return `${this.apiUrl}/_web/${this.fullName}`;
  }

  get repoApi(): string {
    return `${this.apiUrl}/repos/${this.fullName}`;
  }

  user(login: string): UserRecord {
    let user = this.users.get(login);
    if (!user) {
      user = { id: this.nextId(), login, role: 'none', type: 'User' };
      this.users.set(login, user);
    }
    return user;
  }

  identity(login: string): GitIdentity {
    const user = this.user(login);
    return { name: login, email: `${user.id}+${login}@users.noreply.github.test` };
  }

  pull(number: number): PullRecord | undefined {
    return this.pulls.get(number);
  }

  /** A push to a pull request's head branch moves its head: a "synchronize". */
  onBranchMoved(ref: string, sha: string): void {
    if (!ref.startsWith('refs/heads/')) return;
    const branch = ref.slice('refs/heads/'.length);
    for (const pull of this.pulls.values()) {
      if (pull.state !== 'open' || pull.headRef !== branch) continue;
      pull.headSha = sha;
      pull.updatedAt = now();
    }
  }
}

/** GitHub's timestamps: ISO 8601, UTC, no milliseconds. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
