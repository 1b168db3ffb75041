import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';

/**
 * AIOS works through a PostgreSQL role that is not a superuser and does not own the audit log, so
 * nothing running as the application (a bug, an injected query) can rewrite or erase the audit
 * trail: the append-only trigger belongs to the administrator.
 */
const ACME = { slug: 'acme', phone: '+14165550100' };
let h: Harness;
beforeAll(async () => {
  h = await startHarness([{ ...ACME, policy: AUTO_POLICY }]);
});
afterAll(() => h?.stop());

const sqlError = (stmt: string) => sql.raw(stmt).execute(h.aios.db).then(() => null, (e: Error) => e.message);

describe("the application's database role", () => {
  it('is not a superuser and cannot create roles or databases', async () => {
    const me = await sql<{ rolname: string; rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>`select rolname, rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user`.execute(h.aios.db);
    expect(me.rows[0]).toMatchObject({ rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const dbName = new URL(h.tdb.url).pathname.slice(1);
    expect(me.rows[0]!.rolname).toBe(`${dbName}_app`);
  });

  it('does normal work: a missed call is texted back and audited', async () => {
    const caller = '+14165550170';
    expect((await h.voice(caller, ACME.phone)).status).toBe(200);
    await eventually(async () => h.sink.messages.find((m) => m.to === caller), 10_000, 'the text-back');
    const audited = await h.aios.db.selectFrom('audit_log').select('action').execute();
    expect(audited.length).toBeGreaterThan(0);
  });

  it('cannot drop, disable, update, delete or truncate the audit log', async () => {
    const before = await h.tdb.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(before.length).toBeGreaterThan(0);
    const attempts = [
      'drop trigger audit_log_no_update on audit_log',
      'alter table audit_log disable trigger all',
      'alter table audit_log disable trigger audit_log_no_update',
      "update audit_log set action = 'forged'",
      'delete from audit_log',
      'truncate audit_log',
      'drop table audit_log',
      'create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return new; end $$',
      "select setval('audit_log_id_seq', 1)",
    ];
    for (const stmt of attempts) expect(await sqlError(stmt), stmt).toMatch(/permission denied|must be owner/);
    const after = await h.tdb.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(after).toEqual(before);
    const trigger = await sql<{ tgenabled: string }>`select tgenabled from pg_trigger where tgname = 'audit_log_no_update'`.execute(h.tdb.db);
    expect(trigger.rows).toEqual([{ tgenabled: 'O' }]);
  });

  it('owns the business tables and the DBOS schema, but not the audit log or the migration records', async () => {
    const owners = await sql<{ name: string; owner: string }>`
      select c.relname as name, pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`.execute(h.tdb.db);
    const me = (await sql<{ u: string }>`select current_user as u`.execute(h.aios.db)).rows[0]!.u;
    const byName = Object.fromEntries(owners.rows.map((r) => [r.name, r.owner]));
    expect(byName.contacts).toBe(me);
    expect(byName.connections).toBe(me);
    expect(byName.audit_log).not.toBe(me);
    expect(byName.aios_migrations).not.toBe(me);
    const foreign = owners.rows.filter((r) => r.owner !== me).map((r) => r.name).sort();
    expect(foreign).toEqual(['aios_migrations', 'aios_migrations_lock', 'audit_log']);
    const dbos = await sql<{ owner: string }>`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = 'dbos'`.execute(h.tdb.db);
    expect(dbos.rows).toEqual([{ owner: me }]);
    expect(await sqlError('select * from aios_migrations')).toMatch(/permission denied/);
  });
});
