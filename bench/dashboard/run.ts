/**
 * `npm run bench:dashboard` (issue 11): one business with 10,000 runs, 50,000 messages, 5,000
 * contacts (and approvals, signals, ledger, invoices, deals: see seed.ts) on the embedded
 * PostgreSQL the tests use, AIOS started in this process on loopback. Prints: the seeded counts;
 * the dashboard's first load in headless Chromium (phone and desktop, cold and warm; target ≤ 1 s
 * to interactive); p50/p95/max of the list and summary endpoints over ≥ 200 requests after warm-up
 * (targets: lists ≤ 50 ms, ledger ≤ 100 ms; endpoints that 404 are skipped with a note); the
 * gzipped bundle. Needs `npm run build:web` first.
 * BENCH_SCALE=0.1 seeds a tenth; BENCH_N requests per endpoint (200); BENCH_ROUNDS cold loads (5);
 * BENCH_READY_SELECTOR what shows the Today page rendered (default `main h1`);
 * BENCH_EXPLAIN=1 prints the plans of the list queries.
 */
import { existsSync, rmSync } from 'node:fs';
import { withDatabaseName } from '../../src/store/database-url.js';
import { startTestPostgres } from '../../test/support/pg-process.js';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { openDb } from '../../src/store/db.js';
import { loadConfig } from '../../src/core/config.js';
import { startAios } from '../../src/server/runtime.js';
import { createLogger } from '../../src/core/logger.js';
import { WEB_DIST } from '../../src/server/http/web-app.js';
import { makeHome, AUTO_POLICY } from '../../test/support/tenant-files.js';
import { ownerLogin } from '../../test/support/dashboard-browser.js';
import { printTable, percentile } from '../lib/stats.js';
import { seedDashboard, scaled, DEFAULT_COUNTS } from './seed.js';
import { measureEndpoints, type Endpoint } from './api-latency.js';
import { launchBench, measureFirstLoad, type LoadTiming } from './first-load.js';
import { bundleSizes } from './bundle.js';
import { explainLists } from './explain.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const N = Number(process.env.BENCH_N ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SELECTOR = process.env.BENCH_READY_SELECTOR ?? 'main h1';
const counts = SCALE === 1 ? DEFAULT_COUNTS : scaled(SCALE);
const SLUG = 'bench-dash';
process.env.AIOS_LOG_LEVEL ??= 'warn';

if (!existsSync(join(WEB_DIST, 'index.html'))) {
  console.error('bench:dashboard: web/dist is missing; run `npm run build:web` first');
  process.exit(1);
}

const pgServer = await startTestPostgres();
const adminUrl = pgServer.url;
const home = makeHome([{ slug: SLUG, phone: '+14165559911', policy: AUTO_POLICY }]);
let failed = false;
try {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query('create database aios_bench_dash');
  await c.end();
  const dbUrl = withDatabaseName(adminUrl, 'aios_bench_dash');
  const config = loadConfig({ AIOS_HOME: home, AIOS_PORT: '0', AIOS_DATABASE_ADMIN_URL: dbUrl, AIOS_ALLOW_LOOPBACK: '1' });
  const aios = await startAios({ config, demo: false, env: {}, log: createLogger('bench') });
  const { db: admin } = openDb(dbUrl, 4);
  try {
    const tenant = await admin.selectFrom('tenants').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow();
    const now = new Date();
    const s0 = performance.now();
    await seedDashboard(admin, tenant.id, now, counts);
    const seedMs = performance.now() - s0;
    const tables = ['contacts', 'conversations', 'messages', 'runs', 'approvals', 'signals', 'outbox', 'ledger', 'invoices', 'deals'] as const;
    const rows: Array<[string, number]> = [];
    for (const t of tables) rows.push([t, (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)} where tenant_id = ${tenant.id}`.execute(admin)).rows[0]!.n]);
    const pending = (await sql<{ n: number }>`select count(*)::int as n from approvals where tenant_id = ${tenant.id} and status = 'pending'`.execute(admin)).rows[0]!.n;
    printTable(`Seeded business (${Math.round(seedMs)} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs)`, ['table', 'rows'], [...rows.map(([t, n]) => [t === 'approvals' ? `approvals (${pending} pending)` : t, n])]);

    if (process.env.BENCH_EXPLAIN) await explainLists(admin, tenant.id);

    // API latency with the CLI's owner token (the dashboard's session cookie goes through the same handlers).
    const token = aios.cliTokens.get(SLUG);
    if (!token) throw new Error('no CLI token for the bench business');
    const conv = await admin.selectFrom('conversations').select('id').where('tenant_id', '=', tenant.id).orderBy('last_message_at', 'desc').executeTakeFirstOrThrow();
    const contact = await admin.selectFrom('contacts').select('id').where('tenant_id', '=', tenant.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const lists: Endpoint[] = [
      '/api/v1/approvals', '/api/v1/approvals?status=all', '/api/v1/approvals/inbox',
      '/api/v1/conversations', '/api/v1/conversations?state=waiting_for_owner', `/api/v1/conversations/${conv.id}`, `/api/v1/conversations/${conv.id}/messages`,
      '/api/v1/runs', '/api/v1/signals', '/api/v1/invoices', '/api/v1/deals', '/api/v1/contacts', `/api/v1/contacts/${contact.id}/overview`,
    ].map((path) => ({ path, targetMs: 50 }));
    const summaries: Endpoint[] = ['/api/v1/ledger', '/api/v1/ledger/summary', '/api/v1/ledger/summary?weeks=12'].map((path) => ({ path, targetMs: 100 }));
    const today: Endpoint[] = ['/health', '/api/v1/today', '/api/v1/brief', '/api/v1/status'].map((path) => ({ path, targetMs: null }));
    const results = await measureEndpoints(aios.url, { authorization: `Bearer ${token}` }, [...lists, ...summaries, ...today], N);
    const apiRows = results.filter((r) => !('skipped' in r)).map((r) => {
      const x = r as Exclude<typeof r, { skipped: string }>;
      const verdict = x.targetMs === null ? '(Today page)' : x.p95 <= x.targetMs ? `≤ ${x.targetMs} ✓` : `≤ ${x.targetMs} ✗`;
      if (x.targetMs !== null && x.p95 > x.targetMs) failed = true;
      return [x.path.replace(conv.id, ':id').replace(contact.id, ':id'), x.n, x.p50, x.p95, x.max, x.cpuMs, Math.round(x.bytes / 1024), verdict];
    });
    printTable(`API latency, loopback, ${N} sequential requests after 20 warm-up (ms)`, ['endpoint', 'n', 'p50', 'p95', 'max', 'CPU ms/req', 'KiB', 'p95 target'], apiRows);
    for (const r of results) if ('skipped' in r) console.log(`skipped ${r.path.replace(conv.id, ':id').replace(contact.id, ':id')}: ${r.skipped}`);

    // First load.
    const login = ownerLogin(home, SLUG);
    const b = await launchBench();
    try {
      const loadRows: Array<Array<string | number>> = [];
      const add = (label: string, xs: LoadTiming[]) => {
        const p = (k: keyof LoadTiming, q: number) => percentile(xs.map((x) => x[k]), q);
        loadRows.push([label, xs.length, p('interactive', 50), p('interactive', 100), p('domContentLoaded', 50), p('load', 50), p('wall', 50), p('interactive', 100) <= 1000 ? '≤ 1000 ✓' : '≤ 1000 ✗']);
        if (p('interactive', 100) > 1000) failed = true;
      };
      for (const size of ['phone', 'desktop'] as const) {
        const r = await measureFirstLoad(b.browser, aios.url, login, { size, rounds: ROUNDS, selector: SELECTOR, shot: `bench-dashboard-${size}` });
        add(`${size} cold`, r.cold);
        add(`${size} warm`, r.warm);
      }
      printTable(`Dashboard first load, headless Chromium, loopback (ms since navigation start; ready = "${SELECTOR}" visible, no API request in flight)`, ['load', 'n', 'interactive p50', 'interactive max', 'DOMContentLoaded p50', 'load p50', 'driver wall p50', 'target'], loadRows);
    } finally {
      await b.close();
    }
  } finally {
    await admin.destroy();
    await aios.stop();
  }

  const files = bundleSizes(WEB_DIST);
  const kib = (n: number) => (n / 1024).toFixed(1);
  const initial = files.filter((f) => f.initial);
  printTable('Bundle (web/dist/assets, gzip level 9, KiB)', ['file', 'raw', 'gzip', 'loaded by index.html'], [
    ...files.map((f) => [f.file, kib(f.bytes), kib(f.gzip), f.initial ? 'yes' : 'lazy']),
    ['**initial total**', kib(initial.reduce((a, f) => a + f.bytes, 0)), kib(initial.reduce((a, f) => a + f.gzip, 0)), ''],
    ['**all assets**', kib(files.reduce((a, f) => a + f.bytes, 0)), kib(files.reduce((a, f) => a + f.gzip, 0)), ''],
  ]);
} finally {
  await pgServer.stop();
  rmSync(home, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
