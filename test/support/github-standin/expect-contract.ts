import { afterEach, beforeEach, expect } from 'vitest';
import { startGithubStandin, type GithubStandin, type StandinOptions } from './github-standin.ts';

/** Fails with every schema violation the stand-in recorded, then forgets them. */
export function expectNoContractViolations(standin: GithubStandin): void {
  const found = standin.violations.splice(0);
  expect(found, `GitHub stand-in recorded contract violations:\n${JSON.stringify(found, null, 2)}`).toEqual([]);
}

/**
 * A fresh stand-in per test, closed afterwards, with the contract checked
 * after each test.
 *
 * @example
 *   const github = useGithubStandin();
 *   it('opens a PR', async () => { const client = makeClient(github.current.url); ... });
 */
export function useGithubStandin(options: StandinOptions = {}): { current: GithubStandin } {
  const holder = {} as { current: GithubStandin };
  beforeEach(async () => {
    holder.current = await startGithubStandin(options);
  });
  afterEach(async () => {
    try {
      expectNoContractViolations(holder.current);
    } finally {
      await holder.current.close();
    }
  });
  return holder;
}
