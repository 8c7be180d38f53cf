import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/output.ts';
import { exitCodes, type CliIO } from '../../src/cli/io.ts';
import { AppError, PreviewError } from '../../src/errors.ts';
import { errorResponse } from '../../src/http/respond.ts';
import { PolicyError } from '../../src/sql/policy.ts';

function captured(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd: '/' } as CliIO & { out: string; err: string };
  io.stdout = (text) => void (io.out += text);
  io.stderr = (text) => void (io.err += text);
  return io;
}

describe('the CLI error policy', () => {
  it('reports a taken port as port_in_use and exits as a configuration error', () => {
    const io = captured();
    const code = reportError(io, new AppError('port_in_use', 'port 8888 is in use; set PORT to another port'), true);
    expect(code).toBe(exitCodes.usage);
    expect(JSON.parse(io.out)).toEqual({
      error: { code: 'port_in_use', message: 'port 8888 is in use; set PORT to another port' },
    });
  });

  it('exits 2 for an invalid policy file, 1 for a failed preview and 4 for a database out of reach, with their message', () => {
    const policy = captured();
    expect(reportError(policy, new PolicyError('invalid policy in x.json', ['policy.failLevel: bad']), false)).toBe(
      exitCodes.usage,
    );
    expect(policy.err).toBe('schemagate: invalid policy in x.json\n');
    const preview = captured();
    expect(reportError(preview, new PreviewError('base_copy_failed', 'pg_dump failed'), false)).toBe(exitCodes.failed);
    expect(preview.err).toBe('schemagate: pg_dump failed\n');
    const unreachable = captured();
    expect(reportError(unreachable, new PreviewError('connection_failed', 'cannot connect'), false)).toBe(
      exitCodes.unavailable,
    );
    expect(unreachable.err).toBe('schemagate: cannot connect\n');
  });

  it('shows the stack of anything that is not an AppError and exits 1', () => {
    const io = captured();
    expect(reportError(io, new Error('a bug'), false)).toBe(exitCodes.failed);
    expect(io.err).toContain('unexpected error: Error: a bug');
  });
});

describe('the HTTP error policy', () => {
  it('answers a failure of the preview machinery with a generic 500 and logs it, revealing none of its details', async () => {
    const logged: unknown[] = [];
    const error = new PreviewError('preview_role_too_powerful', 'role sg_preview is a superuser', { problems: ['x'] });
    const res = errorResponse(error, (_message, e) => logged.push(e));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: { code: 'internal_error', message: 'internal error; the server log has the details' },
    });
    expect(logged).toEqual([error]);
    // By its code, whatever class carried it.
    const plain = errorResponse(new AppError('base_copy_failed', 'pg_dump: password authentication failed'), () => {});
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('internal_error');
  });

  it('answers a known error with its status, code, message and details', async () => {
    const res = errorResponse(
      new AppError('configuration_error', 'DATABASE_URL is not set', { missing: ['DATABASE_URL'] }),
      () => {},
    );
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: {
        code: 'configuration_error',
        message: 'DATABASE_URL is not set',
        details: { missing: ['DATABASE_URL'] },
      },
    });
  });
});
