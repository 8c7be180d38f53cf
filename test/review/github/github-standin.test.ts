import { describe, expect, it } from 'vitest';
import { expectNoContractViolations, useGithubStandin } from '../../support/github-standin/expect-contract.ts';
import type { GithubStandin } from '../../support/github-standin/github-standin.ts';
import { OpenApiContract } from '../../support/github-standin/openapi-contract.ts';

function call(
  github: GithubStandin,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = github.token,
) {
  return fetch(`${github.url}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
      ...(token ? { authorization: `token ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('the GitHub stand-in itself', () => {
  const standin = useGithubStandin();

  it('rejects a request that breaks the OpenAPI description and records the violation', async () => {
    const github = standin.current;

    const response = await call(github, 'POST', '/repos/acme/shop/git/refs', { ref: 'refs/heads/x' });

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      message: 'Invalid request.',
      errors: [expect.objectContaining({ message: "must have required property 'sha'" })],
    });
    expect(github.violations).toEqual([expect.objectContaining({ kind: 'request', operationId: 'git/create-ref' })]);
    expect(() => expectNoContractViolations(github)).toThrow(/contract violations/);
    expect(github.violations).toEqual([]);
  });

  it('rejects a wrongly typed or unknown enum value in a body', async () => {
    const github = standin.current;
    const sha = (await github.branchSha('main'))!;

    const response = await call(github, 'POST', `/repos/acme/shop/statuses/${sha}`, { state: 'approved' });

    expect(response.status).toBe(422);
    expect(github.violations.splice(0)).toEqual([
      expect.objectContaining({ kind: 'request', operationId: 'repos/create-commit-status' }),
    ]);
  });

  it('answers 500 and records it when its own response would break the schema', async () => {
    const github = standin.current;
    github.corruptNextResponse('repos/get', (body) => {
      delete body.full_name;
    });

    const response = await call(github, 'GET', '/repos/acme/shop');

    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).toContain("must have required property 'full_name'");
    expect(github.violations.splice(0)).toEqual([
      expect.objectContaining({ kind: 'response', operationId: 'repos/get', status: 200 }),
    ]);
  });

  it('records calls to operations it does not serve', async () => {
    const github = standin.current;

    const response = await call(github, 'DELETE', '/repos/acme/shop');

    expect(response.status).toBe(404);
    expect(github.violations.splice(0)).toEqual([
      expect.objectContaining({ kind: 'unknown-operation', method: 'DELETE', path: '/repos/acme/shop' }),
    ]);
  });

  it('wants credentials, and serves only its one repository', async () => {
    const github = standin.current;

    expect((await call(github, 'GET', '/repos/acme/shop', undefined, null)).status).toBe(401);
    expect((await call(github, 'GET', '/repos/acme/shop', undefined, 'ghp_wrong')).status).toBe(401);
    expect((await call(github, 'GET', '/repos/acme/other')).status).toBe(404);
  });

  it('answers 422 "Reference already exists" for an existing ref, as GitHub does', async () => {
    const github = standin.current;
    const sha = (await github.branchSha('main'))!;

    const first = await call(github, 'POST', '/repos/acme/shop/git/refs', { ref: 'refs/heads/feature', sha });
    const second = await call(github, 'POST', '/repos/acme/shop/git/refs', { ref: 'refs/heads/feature', sha });

    expect(first.status).toBe(201);
    expect(second.status).toBe(422);
    expect(await second.json()).toMatchObject({ message: 'Reference already exists' });
    expect(github.requestsFor('git/create-ref').map((r) => [r.status, r.body])).toEqual([
      [201, { ref: 'refs/heads/feature', sha }],
      [422, { ref: 'refs/heads/feature', sha }],
    ]);
  });

  it('moves, refuses non-fast-forward updates of, and deletes refs in the real git repository', async () => {
    const github = standin.current;
    const main = (await github.branchSha('main'))!;
    await call(github, 'POST', '/repos/acme/shop/git/refs', { ref: 'refs/heads/topic', sha: main });
    const { after } = await github.pushCommit({ branch: 'topic', login: 'alice', files: { 'a.txt': 'a\n' } });

    expect((await call(github, 'PATCH', '/repos/acme/shop/git/refs/heads%2Fmain', { sha: after })).status).toBe(200);
    expect(await github.branchSha('main')).toBe(after);
    const back = await call(github, 'PATCH', '/repos/acme/shop/git/refs/heads%2Fmain', { sha: main });
    expect(back.status).toBe(422);
    expect(await back.json()).toMatchObject({ message: 'Update is not a fast forward' });
    expect((await call(github, 'DELETE', '/repos/acme/shop/git/refs/heads%2Ftopic')).status).toBe(204);
    expect((await call(github, 'GET', '/repos/acme/shop/git/ref/heads%2Ftopic')).status).toBe(404);
    expect(await github.state.git.text(['cat-file', '-t', after])).toBe('commit');
  });

  it('refuses to replace a file without its current blob sha', async () => {
    const github = standin.current;
    const content = Buffer.from('changed\n').toString('base64');

    const missing = await call(github, 'PUT', '/repos/acme/shop/contents/README.md', {
      message: 'm',
      content,
      branch: 'main',
    });
    const stale = await call(github, 'PUT', '/repos/acme/shop/contents/README.md', {
      message: 'm',
      content,
      branch: 'main',
      sha: '1'.repeat(40),
    });

    expect(missing.status).toBe(422);
    expect(stale.status).toBe(409);
  });
});

describe('the trimmed OpenAPI description', () => {
  it('routes by operationId with slashes in refs and paths encoded', async () => {
    const contract = await OpenApiContract.load();
    const get = (path: string) => contract.match({ method: 'get', path, headers: {}, query: {} });

    expect(get('/repos/acme/shop/contents/netlify%2Fdatabase%2Fmigrations%2F1_a.sql')).toEqual({
      operationId: 'repos/get-content',
      params: { owner: 'acme', repo: 'shop', path: 'netlify/database/migrations/1_a.sql' },
    });
    expect(get('/repos/acme/shop/git/ref/heads%2Fschemagate%2Fp_1')?.operationId).toBe('git/get-ref');
  });

  it('treats a GitHub example that breaks its own schema as a violation', async () => {
    const contract = await OpenApiContract.load();

    const errors = contract.validateResponse(
      { permission: 'admin', user: null },
      'repos/get-collaborator-permission-level',
      200,
    );

    expect(errors).toEqual([expect.objectContaining({ message: "must have required property 'role_name'" })]);
  });
});
