import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/output.ts';
import { exitCodes, type CliIO } from '../../src/cli/io.ts';
import { AppError, PreviewError } from '../../src/errors.ts';
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

  it('exits 2 for an invalid policy file and 1 for a failed preview, with their message', () => {
    const policy = captured();
    expect(reportError(policy, new PolicyError('invalid policy in x.json', ['policy.failLevel: bad']), false)).toBe(
      exitCodes.usage,
    );
    expect(policy.err).toBe('schemagate: invalid policy in x.json\n');
    const preview = captured();
    expect(reportError(preview, new PreviewError('connection_failed', 'cannot connect'), false)).toBe(exitCodes.failed);
    expect(preview.err).toBe('schemagate: cannot connect\n');
  });

  it('shows the stack of anything that is not an AppError and exits 1', () => {
    const io = captured();
    expect(reportError(io, new Error('a bug'), false)).toBe(exitCodes.failed);
    expect(io.err).toContain('unexpected error: Error: a bug');
  });
});
