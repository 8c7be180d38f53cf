import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startRecordingApi } from '../support/recording-api.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface Seen {
  /** The request's query string ('' for a plain read). */
  query: string;
  /** Its Schemagate-Wait answer, once answered. */
  held?: string | null;
}

/** The recording API server with one proposal, proposed through the CLI. */
async function setUp(options: { withoutLongPoll?: boolean } = {}) {
  const { app, url, seen, reads, preview } = await startRecordingApi((u): Seen => ({ query: u.search }), options);
  const cwd = await mkdtemp(path.join(tmpdir(), 'sg-wait-'));
  dirs.push(cwd);
  await writeFile(
    path.join(cwd, 'up.sql'),
    'create table notes (id bigint generated always as identity primary key);\n',
  );
  const env = { SCHEMAGATE_URL: url, SCHEMAGATE_TOKEN: app.token, HOME: cwd };
  const { id } = JSON.parse(
    (await runCli(['propose', 'up.sql', '--title', 'Add notes', '--json'], env, cwd)).stdout,
  ) as { id: string };
  return { app, env, cwd, id, seen, reads, preview };
}

describe('schemagate wait on the long poll', () => {
  it('holds one request on the server until the preview is done, instead of reading again and again', async () => {
    const { env, cwd, id, seen, reads, preview } = await setUp();
    const waiting = runCli(['wait', id, '--json', '--timeout', '120'], env, cwd);
    // The first read, then the held ones: the preview runs only once the server holds them.
    await reads(2);
    await preview({ ok: true, result: { applied: true }, riskClass: 'low' });
    const result = await waiting;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ reached: true, proposal: { id, status: 'awaiting_review' } });
    expect(seen[0]).toEqual({ query: '', held: null });
    // One hold at a time, for the target: answered at each change (previewing), the last one at the arrival.
    const held = seen.slice(1);
    expect(held.every((s) => new URLSearchParams(s.query).get('wait_for') === 'awaiting_review')).toBe(true);
    expect(held.at(-1)!.held).toBe('reached');
    expect(held.every((s) => s.held === 'changed' || s.held === 'reached')).toBe(true);
    expect(held.length).toBeLessThanOrEqual(3);
  });

  it('answers as soon as the preview fails, without waiting out the hold for awaiting_review (exit 1)', async () => {
    const { env, cwd, id, seen, reads, preview } = await setUp();
    const waiting = runCli(['wait', id, '--json', '--timeout', '120'], env, cwd);
    await reads(2);
    await preview({ ok: false, result: { error: { kind: 'apply', message: 'relation "nope" does not exist' } } });
    const result = await waiting;
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ reached: false, proposal: { status: 'preview_failed' } });
    expect(seen.at(-1)).toMatchObject({ held: 'changed' });
    expect(seen.some((s) => s.held === 'timeout')).toBe(false);
  });

  it('reads again every second from a server without the long poll, and still sees the preview end', async () => {
    const { env, cwd, id, seen, reads, preview } = await setUp({ withoutLongPoll: true });
    const waiting = runCli(['wait', id, '--json', '--timeout', '120'], env, cwd);
    // First read, the hold answered at once without the header, then plain reads on the interval.
    await reads(3);
    await preview({ ok: true, result: { applied: true }, riskClass: 'low' });
    const result = await waiting;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ reached: true, proposal: { status: 'awaiting_review' } });
    expect(seen.every((s) => s.held === null)).toBe(true);
    // It fell back to plain reads (no further wait_for) and did not spin.
    const afterFallback = seen.slice(2);
    expect(afterFallback.length).toBeGreaterThanOrEqual(1);
    expect(afterFallback.every((s) => s.query === '')).toBe(true);
    expect(seen.length).toBeLessThan(12);
  });
});
