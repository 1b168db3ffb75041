/**
 * Bookings under contention: N customers at once compete for 5 slots through `holdSlot` (two
 * connection pools, as two AIOS processes would), each winner's hold then taken as a booking.
 * Prints bookings/s and the double bookings found afterwards (overlapping live rows: must be 0).
 * Environment: BENCH_CUSTOMERS (comma list, default "50,200"), BENCH_ROUNDS (default 3).
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
import { holdSlot } from '../../src/autonomy/booking/booking-api.js';
import { takeHold } from '../../src/autonomy/booking/booking-store.js';
import { newId } from '../../src/core/ids.js';
import { percentile, printTable } from '../lib/stats.js';

const sizes = (process.env.BENCH_CUSTOMERS ?? '50,200').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const NOW = new Date('2026-12-01T14:00:00Z'); // Tue 09:00 Toronto
const SLOTS = ['2026-12-02T14:00:00Z', '2026-12-02T15:00:00Z', '2026-12-02T16:00:00Z', '2026-12-02T17:00:00Z', '2026-12-02T18:00:00Z'];

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
const c = new pg.Client({ connectionString: adminUrl });
await c.connect();
await c.query('create database aios_bench_booking');
await c.end();
const url = withDatabaseName(adminUrl, 'aios_bench_booking');
const a = openDb(url, 10);
const b = openDb(url, 10);
await migrate(a.db);

const rows: Array<Array<string | number>> = [];
for (const n of sizes) {
  for (let r = 0; r < rounds; r++) {
    const file = parseTenantFile(`slug: bench-${n}-${r}\nname: Bench\ntime_zone: America/Toronto\nphone: "+1416555${String(1000 + n + r).slice(-4)}"\nowner: { name: B }\nbooking: { min_notice_minutes: 0 }\n`, 'tenant.yaml');
    const id = await upsertTenant(a.db, file);
    const tenant: TenantInfo = { id, slug: file.slug, name: file.name, timeZone: file.time_zone, locale: file.locale, currency: file.currency, phone: file.phone, owner: file.owner, profile: file.profile, booking: file.booking, voice: file.voice, playbookSettings: {}, dir: '' };
    const contacts = Array.from({ length: n }, () => newId('ct'));
    await a.db.insertInto('contacts').values(contacts.map((cid, i) => ({ id: cid, tenant_id: id, phone: `+1647${String(3_000_000 + i).padStart(7, '0')}` }))).execute();
    const lat: number[] = [];
    const t0 = performance.now();
    const results = await Promise.all(
      contacts.map(async (cid, i) => {
        const db = i % 2 ? b.db : a.db;
        const s = performance.now();
        const held = await holdSlot(db, tenant, { contactId: cid, start: SLOTS[i % SLOTS.length]!, channel: 'sms', address: cid, key: `bench:${cid}`, now: NOW });
        const booked = held.ok ? await takeHold(db, id, held.holdId, `run:${cid}`, {}) : null;
        lat.push(performance.now() - s);
        return booked;
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const won = results.filter(Boolean).length;
    const doubles = await sql<{ n: number }>`select count(*)::int as n from bookings x join bookings y on x.tenant_id = y.tenant_id and x.id < y.id and x.blocked && y.blocked where x.tenant_id = ${id} and x.status in ('held','booked','confirmed') and y.status in ('held','booked','confirmed')`.execute(a.db);
    rows.push([n, r + 1, won, (won / secs).toFixed(1), (n / secs).toFixed(0), percentile(lat, 50).toFixed(1), percentile(lat, 99).toFixed(1), doubles.rows[0]!.n]);
  }
}
printTable('Booking contention: N customers, 5 slots, two pools', ['customers', 'round', 'booked', 'bookings/s', 'attempts/s', 'p50 ms', 'p99 ms', 'double bookings'], rows);

await a.db.destroy();
await b.db.destroy();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
