import { describe, expect, it } from 'vitest';
import { expireIdleProposals } from '../../src/proposals/expire.ts';
import { createTestApp, goodProposal } from '../support/app.ts';

describe('idle proposals', () => {
  it('expire after the configured days, and recent or finished ones do not', async () => {
    const app = await createTestApp();
    const ids: string[] = [];
    for (const title of ['idle', 'recent', 'withdrawn']) {
      ids.push((await (await app.call('POST', '/api/proposals', { body: { ...goodProposal, title } })).json()).id);
    }
    const [idle, recent, withdrawn] = ids as [string, string, string];
    await app.call('POST', `/api/proposals/${withdrawn}/withdraw`);
    await app.database.pool.query(
      `update schemagate.proposals set updated_at = now() - interval '20 days' where id = any($1)`,
      [[idle, withdrawn]],
    );

    expect(await expireIdleProposals(app.database.db, { afterDays: 14, now: new Date() })).toEqual([idle]);
    const status = async (id: string) => (await (await app.call('GET', `/api/proposals/${id}`)).json()).status;
    expect([await status(idle), await status(recent), await status(withdrawn)]).toEqual([
      'expired',
      'received',
      'withdrawn',
    ]);
    const events = (await (await app.call('GET', `/api/proposals/${idle}/events`)).json()).items;
    expect(events.at(-1)).toMatchObject({
      type: 'proposal.expire',
      from_status: 'received',
      to_status: 'expired',
      actor: 'schemagate',
    });
    expect(await expireIdleProposals(app.database.db, { afterDays: 14, now: new Date() })).toEqual([]);
  });
});
