/**
 * Watcher passes at scale: one business with BENCH_WATCH_N (default 2000) email conversations
 * (half waiting for an answer), as many invoices (a third overdue, a third due soon), N/4 deals
 * (half stalled) and N/4 ended meetings. Times the scheduler's pass (`runWatchers`, every
 * watcher, dispatch replaced by a counter): the first pass raises, the second finds nothing new
 * (dedup), the third resolves (every invoice paid, every email answered). BENCH_EXPLAIN=1 also
 * prints the plan of the email watcher's query.
 */
import { spawn } from 'node:child_process';
import { withDatabaseName } from '../../src/store/database-url.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDb, migrate } from '../../src/store/db.js';
import { parseTenantFile } from '../../src/records/tenant-file.js';
import { upsertTenant, type TenantInfo } from '../../src/records/tenants.js';
import { newId } from '../../src/core/ids.js';
import { createLogger } from '../../src/core/logger.js';
import { runWatchers } from '../../src/server/watch-schedule.js';
import { printTable } from '../lib/stats.js';

const N = Number(process.env.BENCH_WATCH_N ?? 2000);
const NOW = new Date('2026-12-09T20:00:00Z'); // Wed 15:00 Toronto
const D = 86_400_000;

const dir = mkdtempSync(join(tmpdir(), 'aios-bench-pg-'));
const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../../test/support/pg-server.ts'), join(dir, 'pg')], { stdio: ['pipe', 'pipe', 'inherit'] });
const adminUrl = await new Promise<string>((ok, fail) => {
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line) ok((JSON.parse(line) as { url: string }).url);
  });
  child.once('exit', (code) => fail(new Error(`PostgreSQL exited (${code})`)));
});
try {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query('create database aios_bench_watch');
  await c.end();
  const { db } = openDb(withDatabaseName(adminUrl, 'aios_bench_watch'), 10);
  await migrate(db);
  const file = parseTenantFile(`slug: bench-watch\nname: Bench\ntime_zone: America/Toronto\nphone: "+14165559900"\nowner: { name: B }\nprofile:\n  hours: { mon: ["08:00", "17:00"], tue: ["08:00", "17:00"], wed: ["08:00", "17:00"], thu: ["08:00", "17:00"], fri: ["08:00", "17:00"], sat: closed, sun: closed }\nholidays: [{ public: CA-ON }]\n`, 'tenant.yaml');
  const id = await upsertTenant(db, file);
  const tenant: TenantInfo = { id, slug: file.slug, name: file.name, timeZone: file.time_zone, locale: file.locale, currency: file.currency, phone: file.phone, owner: file.owner, profile: file.profile, booking: file.booking, voice: file.voice, watchers: file.watchers, holidays: file.holidays, playbookSettings: {}, dir: '' };

  const t0 = performance.now();
  await sql`insert into contacts (id, tenant_id, email, source) select 'ct_' || i, ${id}, 'c' || i || '@cust.example', 'bench' from generate_series(1, ${N}) i`.execute(db);
  await sql`insert into conversations (id, tenant_id, contact_id, channel, address) select 'cv_' || i, ${id}, 'ct_' || i, 'email', 'c' || i || '@cust.example' from generate_series(1, ${N}) i`.execute(db);
  // Half waited a day (past 4 business hours), half an hour.
  await sql`insert into messages (id, tenant_id, conversation_id, direction, body, created_at) select 'msg_' || i, ${id}, 'cv_' || i, 'inbound', 'Question ' || i, ${NOW}::timestamptz - (case when i % 2 = 0 then interval '1 day' else interval '30 minutes' end) from generate_series(1, ${N}) i`.execute(db);
  await sql`insert into invoices (id, tenant_id, contact_id, external_ref, source, status, currency, amount_cents, due_at) select 'inv_' || i, ${id}, 'ct_' || i, 'r' || i, 'csv', 'open', 'CAD', 10000, ${NOW}::timestamptz + ((i % 3) * 2 - 2) * interval '1 day' + interval '1 hour' from generate_series(1, ${N}) i`.execute(db);
  await sql`insert into contacts (id, tenant_id, email, source) select 'ctd_' || i, ${id}, 'd' || i || '@cust.example', 'bench' from generate_series(1, ${Math.floor(N / 4)}) i`.execute(db);
  await sql`insert into deals (id, tenant_id, contact_id, title, stage, last_activity_at) select 'deal_' || i, ${id}, 'ctd_' || i, 'Job', 'quoted', ${NOW}::timestamptz - (case when i % 2 = 0 then 10 else 2 end) * interval '1 day' from generate_series(1, ${Math.floor(N / 4)}) i`.execute(db);
  await sql`insert into calendar_events (id, tenant_id, source, external_id, uid, summary, starts_at, ends_at, attendees) select 'cal_' || i, ${id}, 'builtin', 'e' || i, 'e' || i, 'Visit', ${NOW}::timestamptz - interval '3 hours', ${NOW}::timestamptz - interval '2 hours', jsonb_build_array(jsonb_build_object('email', 'c' || i || '@cust.example')) from generate_series(1, ${Math.floor(N / 4)}) i`.execute(db);
  await sql`analyze`.execute(db);
  const seeded = performance.now() - t0;

  let dispatched = 0;
  const deps = { db, log: createLogger('bench'), clock: { now: () => NOW }, host: { dispatchSignal: async () => (dispatched++, []) }, tenants: { all: () => [tenant] } };
  // The meetings ended "since the last pass": mark every watcher as last run 3 hours ago.
  await sql`insert into watcher_state (tenant_id, watcher, last_checked_at) select ${id}, w, ${new Date(NOW.getTime() - 3 * 3_600_000)} from unnest(array['meeting-ended', 'meeting-no-follow-up']) w`.execute(db);
  const rows: Array<Array<string | number>> = [];
  const timed = async (label: string) => {
    const s = performance.now();
    const p = await runWatchers(deps, NOW);
    rows.push([label, Math.round(performance.now() - s), p.raised, p.resolved, p.failed.length, Object.entries(p.ms).map(([w, ms]) => `${w} ${ms}`).join(', ')]);
  };
  if (process.env.BENCH_EXPLAIN) {
    const { waitingMails } = await import('../../src/awareness/email-unanswered-watcher.js');
    const q = waitingMails({ tenant, now: NOW }, new Date(NOW.getTime() - 30 * D));
    const plan = await sql<{ 'QUERY PLAN': string }>`explain analyze ${q}`.execute(db);
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  await timed('first pass (raises)');
  await timed('second pass (nothing new)');
  await sql`update invoices set status = 'paid', amount_paid_cents = amount_cents where tenant_id = ${id}`.execute(db);
  await sql`insert into messages (id, tenant_id, conversation_id, direction, body, created_at) select 'out_' || i, ${id}, 'cv_' || i, 'outbound', 'Answer', ${NOW} from generate_series(1, ${N}) i`.execute(db);
  await timed('third pass (resolves)');
  printTable(`Watcher passes, ${N} email conversations + ${N} invoices + ${Math.floor(N / 4)} deals + ${Math.floor(N / 4)} meetings (seeded in ${Math.round(seeded)} ms; ${dispatched} dispatched)`, ['pass', 'ms', 'raised', 'resolved', 'failed', 'ms per watcher'], rows);
  await db.destroy();
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
