import { describe, it, expect, afterAll } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/test-db.js';
import { openPool } from './db.js';
import { MAX_PER_CONNECTION, preparedStatementStats } from './prepared-statements.js';

const t = await createTestDatabase({ migrate: false });
// One connection, so that what it prepared can be read back on it.
const pool = openPool(t.url, 1);
afterAll(async () => {
  await pool.end();
  await t.close();
});

const preparedTexts = async (on: pg.Pool = pool): Promise<string[]> =>
  (await on.query('select statement from pg_prepared_statements order by prepare_time')).rows.map((r: { statement: string }) => r.statement);

describe('prepared statements', () => {
  it('a parameterised text used twice is prepared once on the connection and gives the same answers', async () => {
    await pool.query('create table items (id int primary key, label text)');
    await pool.query('insert into items values (1, $1), (2, $2)', ['one', 'two']);
    const q = 'select label from items where id = $1';
    const labels: string[] = [];
    for (const id of [1, 2, 1, 2]) labels.push((await pool.query(q, [id])).rows[0].label);
    expect(labels).toEqual(['one', 'two', 'one', 'two']);
    expect(await preparedTexts()).toContain(q);
    // Queries without parameters keep the simple protocol (several statements in one text still work).
    const multi = await pool.query('select 1 as a; select 2 as b');
    expect(Array.isArray(multi)).toBe(true);
    expect((await preparedTexts()).some((s) => s.includes('select 1 as a'))).toBe(false);
  });

  it('each execution is planned for its own values (no generic plan that ignores them)', async () => {
    expect((await pool.query('show plan_cache_mode')).rows[0].plan_cache_mode).toBe('force_custom_plan');
  });

  it('a connection prepares at most MAX_PER_CONNECTION statements; the rest run unnamed and still answer', async () => {
    for (let i = 0; i < MAX_PER_CONNECTION + 20; i++) {
      for (let use = 0; use < 2; use++) expect((await pool.query(`select $1::int + ${i} as n`, [1])).rows[0].n).toBe(1 + i);
    }
    expect((await preparedTexts()).length).toBeLessThanOrEqual(MAX_PER_CONNECTION);
  });

  it('a table changed under a prepared `select *` is read again unnamed outside a transaction, and the process stops preparing', async () => {
    // A connection of its own: the one above is full.
    const fresh = openPool(t.url, 1);
    await pool.query('create table wide (id int primary key, a text)');
    await pool.query('insert into wide values (1, $1)', ['x']);
    const q = 'select * from wide where id = $1';
    await fresh.query(q, [1]);
    await fresh.query(q, [1]);
    expect(await preparedTexts(fresh)).toContain(q);
    // Another session changes the table (a newer version's migration).
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    await other.query("alter table wide add column b text default 'new'");
    await other.end();
    const row = (await fresh.query(q, [1])).rows[0];
    expect(row).toEqual({ id: 1, a: 'x', b: 'new' });
    const stats = preparedStatementStats();
    expect(stats.disabled).toBe(true);
    expect(stats.fallbacks).toBe(1);
    const before = (await preparedTexts(fresh)).length;
    await fresh.query('select id from wide where id = $1', [1]);
    await fresh.query('select id from wide where id = $1', [1]);
    expect((await preparedTexts(fresh)).length).toBe(before);
    await fresh.end();
  });
});
