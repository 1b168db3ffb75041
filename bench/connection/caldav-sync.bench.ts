/**
 * CalDAV sync throughput against a local Radicale (`sudo scripts/test-services.sh up` first):
 * seeds BENCH_EVENTS events (default 2,000; not timed) into a fresh calendar, then times a full
 * initial sync (sync-collection + calendar-multiget + parse, batches of 500), an incremental sync
 * after 20 changes, and the ETag-only fallback. Prints a Markdown table: events/s and peak RSS.
 * Run: `npx tsx bench/connection/caldav-sync.bench.ts`.
 */
import { randomBytes } from 'node:crypto';
import { makeCalendar } from 'tsdav';
import { createCalDavConnector } from '../../src/connection/calendar/caldav-connector.js';
import type { CalDavCursor } from '../../src/connection/calendar/caldav-sync.js';
import { davFetch } from '../../src/connection/calendar/dav-http.js';
import type { ConnectorContext } from '../../src/connection/framework/connector.js';
import { printTable } from '../lib/stats.js';
import { peakSampler, rssMiB } from '../lib/proc-mem.js';

const SERVER = process.env.BENCH_CALDAV_URL ?? 'http://127.0.0.1:5232/';
const N = Number(process.env.BENCH_EVENTS ?? 2000);
const f = davFetch({ username: 'test', password: 'test' });
const calUrl = `${SERVER}test/bench-${randomBytes(4).toString('hex')}/`;
const mk = await makeCalendar({ url: calUrl, props: { 'd:displayname': 'bench', 'c:supported-calendar-component-set': { 'c:comp': { _attributes: { name: 'VEVENT' } } } }, fetch: f });
if (mk[0] && !mk[0].ok) throw new Error(`MKCALENDAR failed: HTTP ${mk[0].status}; is Radicale up? run: sudo scripts/test-services.sh up`);

const ics = (i: number, summary: string) => {
  const start = new Date(Date.UTC(2026, 0, 1, 9) + i * 3_600_000).toISOString().replace(/[-:]/g, '').replace('.000', '');
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//aios//bench//EN', 'BEGIN:VEVENT', `UID:bench-${i}`, 'DTSTAMP:20260101T000000Z', `DTSTART:${start}`, 'DURATION:PT45M', `SUMMARY:${summary}`,
    'ATTENDEE;CN=Customer;PARTSTAT=NEEDS-ACTION:mailto:customer@example.com', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
};
async function putAll(ids: number[], summary: string): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < ids.length) {
      const i = ids[next++]!;
      const res = await f(`${calUrl}bench-${i}.ics`, { method: 'PUT', headers: { 'Content-Type': 'text/calendar' }, body: ics(i, summary) });
      if (!res.ok) throw new Error(`PUT ${i}: HTTP ${res.status}`);
    }
  }));
}

const t0 = performance.now();
await putAll([...Array(N).keys()], 'Appointment');
process.stderr.write(`seeded ${N} events in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

const ctx: ConnectorContext<any> = { tenantId: 'bench', connectionId: 'bench', credentials: { serverUrl: SERVER, username: 'test', password: 'test', calendarUrl: calUrl, timeZone: 'America/Toronto' }, now: () => new Date() };

async function syncAll(connector: ReturnType<typeof createCalDavConnector>, cursor: CalDavCursor) {
  const trig = connector.polling![0]!;
  const mem = peakSampler(() => rssMiB(process.pid), 50);
  const start = performance.now();
  let events = 0;
  let polls = 0;
  let r;
  do {
    r = await trig.poll(ctx, cursor);
    cursor = r.nextCursor;
    polls++;
    for (const it of r.items) events += ((it.payload.events as unknown[] | undefined)?.length ?? 0);
  } while (r.more);
  const ms = performance.now() - start;
  return { cursor, events, polls, ms, peak: mem.stop() };
}

const rows: Array<Array<string | number>> = [];
const row = (name: string, r: Awaited<ReturnType<typeof syncAll>>) => rows.push([name, r.events, r.polls, r.ms.toFixed(0), ((r.events / r.ms) * 1000).toFixed(0), r.peak.toFixed(0)]);

const full = await syncAll(createCalDavConnector({ batchSize: 500 }), { syncToken: null, etags: {} });
row(`initial sync-token sync of ${N}`, full);
await putAll([...Array(20).keys()].map((k) => k * Math.floor(N / 20)), 'Appointment (moved)');
row('incremental sync-token, 20 changed', await syncAll(createCalDavConnector(), full.cursor));
const noSync: typeof fetch = async (input, init) => (init?.method === 'REPORT' && String(init.body).includes('sync-collection') ? new Response('no', { status: 400 }) : fetch(input, init));
row(`initial ETag-listing sync of ${N}`, await syncAll(createCalDavConnector({ batchSize: 500, fetch: noSync }), { syncToken: null, etags: {} }));

printTable(`CalDAV sync from Radicale (${N} events, Node ${process.version})`, ['scenario', 'events', 'polls', 'ms', 'events/s', 'peak RSS MiB'], rows);
await f(calUrl, { method: 'DELETE' });
