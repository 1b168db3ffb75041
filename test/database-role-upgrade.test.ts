import { describe, it, expect, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { makeHome, eventually, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from './support/harness.js';
import { createTestDatabase } from './support/test-db.js';
import { startTwilioSink } from './support/twilio-sink.js';
import { startChild, type ChildAios } from './support/child-aios.js';
import { postTwilioWebhook, missedCallParams } from '../src/connection/twilio/webhook-client.js';

/**
 * An install that ran with a superuser DATABASE_URL (as every install did before the application
 * role): AIOS warns with the fix, and once AIOS_DATABASE_ADMIN_URL is set instead, the tables and
 * DBOS's schema created by the superuser are handed to the application role and work goes on.
 */
const tdb = await createTestDatabase({ migrate: false });
const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const BUSINESS = '+14165550100';
const home = makeHome([{ slug: 'acme', phone: BUSINESS, policy: AUTO_POLICY }]);
const twilio = { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url };
let current: ChildAios | undefined;
afterAll(async () => {
  if (current && current.proc.exitCode === null && current.proc.signalCode === null) {
    current.proc.kill('SIGTERM');
    await current.exited;
  }
  await sink.close();
  await tdb.close();
  rmSync(home, { recursive: true, force: true });
});

const missedCall = (c: ChildAios, from: string) => postTwilioWebhook(`${c.url}/hooks/twilio/voice`, missedCallParams({ from, to: BUSINESS, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
const stop = async (c: ChildAios) => {
  c.proc.kill('SIGTERM');
  expect({ exit: (await c.exited).code, output: c.output() }).toMatchObject({ exit: 0 });
};

describe('an install that connected as a superuser', () => {
  it('warns while DATABASE_URL is a superuser, then is handed over to the app role once an admin URL is set', async () => {
    current = await startChild(home, { ...twilio, DATABASE_URL: tdb.url });
    expect(current.output()).toMatch(/DATABASE_URL connects as a superuser.*AIOS_DATABASE_ADMIN_URL|AIOS_DATABASE_ADMIN_URL.*DATABASE_URL connects as a superuser/);
    await missedCall(current, '+14165550171');
    await eventually(async () => sink.messages.find((m) => m.to === '+14165550171'), 10_000, 'the first text-back');
    await stop(current);
    const dbosOwner = await sql<{ owner: string }>`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = 'dbos'`.execute(tdb.db);
    expect(dbosOwner.rows[0]!.owner).toBe('postgres');

    current = await startChild(home, { ...twilio, DATABASE_URL: '', AIOS_DATABASE_ADMIN_URL: tdb.url });
    expect(current.output()).not.toMatch(/superuser/);
    const role = `${new URL(tdb.url).pathname.slice(1)}_app`;
    const notMine = await sql<{ name: string }>`
      select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public', 'dbos') and c.relkind in ('r', 'S') and pg_get_userbyid(c.relowner) <> ${role} order by 1`.execute(tdb.db);
    expect(notMine.rows.map((r) => r.name)).toEqual(['public.aios_migrations', 'public.aios_migrations_lock', 'public.audit_log', 'public.audit_log_id_seq']);
    await missedCall(current, '+14165550172');
    await eventually(async () => sink.messages.find((m) => m.to === '+14165550172'), 10_000, 'the text-back as the app role');
    const runs = await tdb.db.selectFrom('runs').select('status').execute();
    expect(runs).toHaveLength(2);
    await stop(current);
  }, 90_000);
});
