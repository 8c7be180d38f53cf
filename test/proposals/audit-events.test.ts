import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.ts';

describe('audit events', () => {
  async function withEvent() {
    const database = await createTestDatabase();
    await database.pool.query(
      `insert into schemagate.audit_events (type, actor, data) values ('test.event', 'system', '{"n":1}')`,
    );
    return database;
  }

  it('can be appended', async () => {
    const { pool } = await withEvent();
    const { rows } = await pool.query('select type, data from schemagate.audit_events');
    expect(rows).toEqual([{ type: 'test.event', data: { n: 1 } }]);
  });

  it.each([
    ['UPDATE', `update schemagate.audit_events set type = 'changed'`],
    ['DELETE', 'delete from schemagate.audit_events'],
    ['TRUNCATE', 'truncate schemagate.audit_events'],
  ])('refuses %s in the database itself', async (op, sql) => {
    const { pool } = await withEvent();
    await expect(pool.query(sql)).rejects.toMatchObject({
      code: '42501',
      message: `schemagate.audit_events is append-only: ${op} is not allowed`,
    });
    const { rows } = await pool.query('select type from schemagate.audit_events');
    expect(rows).toEqual([{ type: 'test.event' }]);
  });
});
