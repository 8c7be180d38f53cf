import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan } from './faults.ts';
import { GitStore } from './git-store.ts';
import { OpenApiContract } from './openapi-contract.ts';
import { closePull, mergePull, type MergeOptions } from './pull-actions.ts';
import { handleRequest, type ContractViolation, type RecordedRequest } from './standin-server.ts';
import {
  now,
  StandinState,
  type PullRecord,
  type RepoRole,
  type ReviewRecord,
  type ReviewState,
} from './standin-state.ts';
import {
  delivery,
  pullRequestPayload,
  reviewPayload,
  type PullRequestAction,
  type ReviewAction,
  type WebhookDelivery,
} from './webhooks.ts';

export interface StandinOptions {
  owner?: string;
  repo?: string;
  /** Files of the first commit on main. */
  files?: Record<string, string>;
  /** The account behind `standin.token`, with write access. */
  tokenUser?: string;
}

/**
 * A GitHub stand-in for tests: a real HTTP server on 127.0.0.1 that serves
 * the REST operations schemagate uses, keeps the repository in a real bare
 * git repository, and checks every request and response against GitHub's
 * OpenAPI description. The methods below are the test-only control API.
 *
 * @example
 *   const github = await startGithubStandin({ files: { 'README.md': 'hi\n' } });
 *   const octokit = new Octokit({ baseUrl: github.url, auth: github.token });
 *   github.addUser('alice', 'maintain');
 *   // ... exercise the code under test ...
 *   expect(github.violations).toEqual([]);
 *   await github.close();
 */
export class GithubStandin {
  readonly state: StandinState;
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  readonly violations: ContractViolation[] = [];
  readonly token: string;
  url = '';
  #server: Server | undefined;
  #webhook: { url: string; secret: string; installationId?: number } | undefined;

  constructor(state: StandinState, tokenUser: string) {
    this.state = state;
    this.token = this.addUser(tokenUser, 'write');
  }

  get owner(): string {
    return this.state.owner;
  }

  get repo(): string {
    return this.state.repo;
  }

  async listen(contract: OpenApiContract): Promise<void> {
    const deps = {
      state: this.state,
      contract,
      faults: this.faults,
      requests: this.requests,
      violations: this.violations,
    };
    const server = createServer((req, res) => {
      handleRequest(deps, req, res).catch((error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.violations.push({
          kind: 'response',
          method: req.method ?? '',
          path: req.url ?? '',
          operationId: undefined,
          status: 500,
          errors: [{ message }],
        });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `stand-in failed: ${message}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.state.apiUrl = this.url;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.state.git.destroy();
  }

  /** Adds an account with a repository role; returns a personal token for it. */
  addUser(login: string, role: RepoRole, type: 'User' | 'Bot' = 'User'): string {
    const user = this.state.user(login);
    user.role = role;
    user.type = type;
    const token = `ghp_${randomBytes(18).toString('base64url')}`;
    this.state.tokens.set(token, { login, kind: 'user' });
    return token;
  }

  addTeam(slug: string, members: string[] = []): void {
    this.state.teams.set(slug, { id: this.state.nextId(), slug, members });
  }

  /** Lets a GitHub App (its public key) mint tokens for one installation. */
  registerApp(app: { appId: number; publicKey: string; installationId: number; slug?: string }): void {
    this.state.apps.set(app.appId, { slug: 'schemagate', ...app });
  }

  /** The next `times` calls to `operationId` answer `status` (5xx by default). */
  failNext(operationId: string, times = 1, status = 502): void {
    this.faults.add(operationId, { kind: 'status', status }, times);
  }

  /**
   * The next `times` calls to `operationId` hit a rate limit: the secondary
   * one (retry-after) or the primary one (x-ratelimit-reset).
   */
  rateLimitNext(
    operationId: string,
    times = 1,
    options: { kind?: 'secondary' | 'primary'; retryAfterSeconds?: number } = {},
  ): void {
    const seconds = options.retryAfterSeconds ?? 1;
    const fault =
      options.kind === 'primary'
        ? { kind: 'primary-rate-limit' as const, resetInSeconds: seconds }
        : { kind: 'secondary-rate-limit' as const, retryAfterSeconds: seconds };
    this.faults.add(operationId, fault, times);
  }

  /** The next answer of `operationId` is changed by `mutate` before the contract check sees it. */
  corruptNextResponse(operationId: string, mutate: (body: any) => void): void {
    this.faults.add(operationId, { kind: 'corrupt', mutate }, 1);
  }

  pull(number: number): PullRecord {
    const pull = this.state.pull(number);
    if (!pull) throw new Error(`the stand-in has no pull request #${number}`);
    return pull;
  }

  /** A review as `login` submits it, on `commitId` (the current head by default). */
  submitReview(input: {
    pullNumber: number;
    login: string;
    state: ReviewState;
    commitId?: string;
    body?: string;
  }): ReviewRecord {
    const pull = this.pull(input.pullNumber);
    const record: ReviewRecord = {
      id: this.state.nextId(),
      pullNumber: pull.number,
      login: input.login,
      state: input.state,
      commitId: input.commitId ?? pull.headSha,
      body: input.body ?? '',
      submittedAt: now(),
    };
    this.state.user(input.login);
    this.state.reviews.push(record);
    return record;
  }

  dismissReview(reviewId: number): ReviewRecord {
    const record = this.state.reviews.find((r) => r.id === reviewId);
    if (!record) throw new Error(`the stand-in has no review ${reviewId}`);
    record.state = 'DISMISSED';
    return record;
  }

  /** Pushes a commit changing `files` on `branch` as `login`: a "synchronize" for its pull request. */
  async pushCommit(input: {
    branch: string;
    login: string;
    files: Record<string, string | null>;
    message?: string;
  }): Promise<{ before: string; after: string }> {
    const { git } = this.state;
    return git.exclusive(async () => {
      const ref = `refs/heads/${input.branch}`;
      const before = await git.resolve(ref);
      if (!before) throw new Error(`the stand-in has no branch ${input.branch}`);
      const after = await git.writeCommit(
        before,
        input.files,
        input.message ?? `Push by ${input.login}`,
        this.state.identity(input.login),
      );
      await git.setRef(ref, after, before);
      this.state.onBranchMoved(ref, after);
      return { before, after };
    });
  }

  closePullRequest(number: number): void {
    closePull(this.pull(number));
  }

  mergePullRequest(number: number, options: MergeOptions): Promise<string> {
    return mergePull(this.state, this.pull(number), options);
  }

  async branchSha(branch: string): Promise<string | undefined> {
    return this.state.git.resolve(`refs/heads/${branch}`);
  }

  /** The bytes of `path` at a commit or branch, or undefined when absent. */
  async fileAt(ref: string, path: string): Promise<Buffer | undefined> {
    const commit = (await this.state.git.resolve(ref)) ?? (await this.branchSha(ref));
    const entry = commit ? await this.state.git.entry(commit, path) : undefined;
    return entry ? this.state.git.readBlob(entry.sha) : undefined;
  }

  requestsFor(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  configureWebhook(webhook: { url: string; secret: string; installationId?: number }): void {
    this.#webhook = webhook;
  }

  async pullRequestWebhook(
    number: number,
    action: PullRequestAction,
    options: { sender?: string; before?: string } = {},
  ): Promise<WebhookDelivery> {
    const hook = this.#requireWebhook();
    const pull = this.pull(number);
    const payload = await pullRequestPayload(this.state, pull, action, options.sender ?? pull.author, {
      before: options.before,
      installationId: hook.installationId,
    });
    return delivery('pull_request', payload, hook.secret);
  }

  async reviewWebhook(reviewId: number, action: ReviewAction): Promise<WebhookDelivery> {
    const hook = this.#requireWebhook();
    const record = this.state.reviews.find((r) => r.id === reviewId);
    if (!record) throw new Error(`the stand-in has no review ${reviewId}`);
    return delivery(
      'pull_request_review',
      await reviewPayload(this.state, record, action, record.login, hook.installationId),
      hook.secret,
    );
  }

  /** POSTs a delivery to the configured URL, as GitHub's hookshot does. */
  async sendWebhook(hook: WebhookDelivery): Promise<{ status: number; body: string }> {
    const response = await fetch(this.#requireWebhook().url, {
      method: 'POST',
      headers: hook.headers,
      body: hook.body,
    });
    return { status: response.status, body: await response.text() };
  }

  #requireWebhook(): { url: string; secret: string; installationId?: number } {
    if (!this.#webhook) throw new Error('call configureWebhook({ url, secret }) before building webhooks');
    return this.#webhook;
  }
}

/**
 * Starts a stand-in with `main` holding `options.files`.
 *
 * @example
 *   const github = await startGithubStandin({ owner: 'acme', repo: 'shop' });
 */
export async function startGithubStandin(options: StandinOptions = {}): Promise<GithubStandin> {
  const git = await GitStore.create();
  const state = new StandinState(options.owner ?? 'acme', options.repo ?? 'shop', git);
  state.user(state.owner).type = 'Organization';
  const standin = new GithubStandin(state, options.tokenUser ?? 'schemagate-bot');
  const files = options.files ?? { 'README.md': '# shop\n' };
  const first = await git.writeCommit(undefined, files, 'Initial commit', state.identity(state.owner));
  await git.setRef('refs/heads/main', first, undefined);
  await standin.listen(await OpenApiContract.load());
  return standin;
}
