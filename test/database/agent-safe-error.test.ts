import { describe, expect, it } from 'vitest';
import { agentSafeError } from '../../src/database/agent-safe-error.ts';

describe('agentSafeError', () => {
  it('withholds the detail of integrity violations, which quotes the row', () => {
    expect(
      agentSafeError({
        code: '23505',
        message: 'duplicate key value violates unique constraint "users_email_key"',
        detail: 'Key (email)=(a@b.c) already exists.',
      }),
    ).toEqual({
      message: 'duplicate key value violates unique constraint "users_email_key"',
      withheld: ['detail'],
    });
    expect(
      agentSafeError({
        code: '23514',
        message: 'new row for relation "t" violates check constraint "c"',
        detail: 'Failing row contains (1, secret).',
      }),
    ).toEqual({
      message: 'new row for relation "t" violates check constraint "c"',
      withheld: ['detail'],
    });
    expect(
      agentSafeError({
        code: '23503',
        message: 'insert or update on table "a" violates foreign key constraint "a_b"',
        detail: 'Key (b)=(42) is not present in table "b".',
      }).detail,
    ).toBeUndefined();
  });

  it('withholds the message of data exceptions and whatever PL/pgSQL raised', () => {
    expect(
      agentSafeError({
        code: '22P02',
        message: 'invalid input syntax for type integer: "a@b.c"',
        where: 'COPY t, line 1, column x: "a@b.c"',
      }),
    ).toEqual({
      message: 'invalid input syntax for a type (the message is withheld: it can quote row data)',
      withheld: ['message', 'where'],
    });
    expect(agentSafeError({ code: '22P99', message: 'some new data exception: "value"' }).message).toBe(
      'data exception (the message is withheld: it can quote row data)',
    );
    expect(agentSafeError({ code: 'P0001', message: 'found a@b.c', hint: 'a@b.c' })).toEqual({
      message: 'PL/pgSQL raised an exception (the message is withheld: it can quote row data)',
      withheld: ['hint', 'message'],
    });
  });

  it('keeps what describes the schema: names, dependent objects, hints', () => {
    expect(agentSafeError({ code: '42P01', message: 'relation "missing" does not exist' })).toEqual({
      message: 'relation "missing" does not exist',
    });
    const dependents = {
      code: '2BP01',
      message: 'cannot drop table a because other objects depend on it',
      detail: 'view v depends on table a',
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    };
    expect(agentSafeError(dependents)).toEqual({
      message: dependents.message,
      detail: dependents.detail,
      hint: dependents.hint,
    });
  });

  it('withholds RAISE text whatever SQLSTATE it picked', () => {
    const raised = {
      code: '42P01',
      message: 'relation "$2b$10$hash" does not exist',
      hint: 'hunter2',
      where: 'PL/pgSQL function inline_code_block line 3 at RAISE',
    };
    expect(
      agentSafeError(
        raised,
        "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = (SELECT password FROM users LIMIT 1); END $$;",
      ),
    ).toEqual({
      message: 'error 42P01 (the message is withheld: it can quote row data)',
      withheld: ['hint', 'message', 'where'],
    });
  });

  it('withholds a message that quotes text the migration does not contain', () => {
    const sql = 'SELECT (SELECT email FROM users LIMIT 1)::regclass;';
    expect(agentSafeError({ code: '42P01', message: 'relation "a@b.c" does not exist' }, sql)).toEqual({
      message: 'error 42P01 (the message is withheld: it quotes text that is not in the migration)',
      withheld: ['message'],
    });
    expect(
      agentSafeError(
        { code: '42P01', message: 'relation "Users" does not exist' },
        'ALTER TABLE users ADD COLUMN a int;',
      ).message,
    ).toBe('relation "Users" does not exist');
  });
});
