/**
 * `npm run bench:memory`: AIOS's resident memory idle and with many runs waiting for replies,
 * with parking on (the default, `AIOS_PARK_AFTER_MS=60000`: waits of 60 s or more park) and off
 * (`AIOS_PARK_AFTER_MS=0`: every wait held in the process).
 * Each configuration: a fresh AIOS (child process, embedded PostgreSQL, auto-send to a local
 * Twilio sink), RSS 10 s and 30 s after start (idle), then MEM_RUNS missed calls (32 in flight), each run left
 * waiting 48 h for a reply; RSS 10 s after the last one is waiting (the burst's high-water mark),
 * 90 s and 240 s after (settled: V8 has returned the heap it grew for the burst).
 * Environment: MEM_RUNS (default 10000), MEM_MODES ("park,hold").
 */
import { ACCOUNT_SID, AUTH_TOKEN } from '../../test/support/tenant-files.js';
import { startBenchAios, BENCH_BUSINESS as BUSINESS } from '../lib/bench-aios.js';
import { postTwilioWebhook, missedCallParams } from '../../src/connection/twilio/webhook-client.js';
import { rssMiB } from '../lib/proc-mem.js';
import { printTable } from '../lib/stats.js';

const RUNS = Number(process.env.MEM_RUNS ?? 10_000);
const MODES = (process.env.MEM_MODES ?? 'park,hold').split(',');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(mode: string): Promise<Array<string | number>> {
  const aios = await startBenchAios({ AIOS_PARK_AFTER_MS: mode === 'park' ? '60000' : '0' });
  const { child, db } = aios;
  // A first start's migrations leave garbage that V8 collects 10 to 20 s later (measured: 155 MiB
  // at 10 s, 127 at 20 s); idle is read at 30 s, and at 10 s for the start's high-water mark.
  await sleep(10_000);
  const idle10 = rssMiB(child.proc.pid!);
  await sleep(20_000);
  const idle = rssMiB(child.proc.pid!);
  let issued = 0;
  let refused = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (issued < RUNS) {
      const n = issued++;
      const params = missedCallParams({ from: `+1647${String(4_000_000 + n).padStart(7, '0')}`, to: BUSINESS, accountSid: ACCOUNT_SID });
      // As Twilio does: a webhook refused for load (429/503) is sent again.
      for (let attempt = 0; ; attempt++) {
        const res = await postTwilioWebhook(`${child.url}/hooks/twilio/voice`, params, { authToken: AUTH_TOKEN });
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (attempt > 20) throw new Error(`webhook answered ${res.status} 20 times`);
        refused++;
        await sleep(200);
      }
    }
  }));
  for (;;) {
    const r = await db.query(`select count(*)::int as n from runs where status = 'waiting' and waiting_for like 'reply from %'`);
    if (r.rows[0].n >= RUNS) break;
    if (Date.now() - t0 > 30 * 60_000) throw new Error(`only ${r.rows[0].n} of ${RUNS} runs waiting after 30 min`);
    await sleep(500);
  }
  const loadSeconds = (Date.now() - t0) / 1000;
  await sleep(10_000);
  const waiting = rssMiB(child.proc.pid!);
  // V8 gives back the heap it grew for the burst once the process is idle (its memory reducer):
  // measured, the garbage of the burst stays 1 to 3 minutes before a memory-reducing collection,
  // so RSS is read at 90 s and at 240 s; what the waiting runs keep is what is left at 240 s.
  await sleep(80_000);
  const at90 = rssMiB(child.proc.pid!);
  await sleep(150_000);
  const settled = rssMiB(child.proc.pid!);
  const parked = (await db.query(`select count(*)::int as n from runs where parked_until is not null`)).rows[0].n;
  await aios.stop();
  process.stderr.write(`${mode}: ${refused} webhook(s) refused for load and sent again\n`);
  return [mode === 'park' ? 'parking on (the default, 60000)' : 'parking off (AIOS_PARK_AFTER_MS=0)', idle10, idle, RUNS, parked, waiting, at90, settled, settled - idle, ((settled - idle) * 1024) / RUNS, RUNS / loadSeconds];
}

const rows = [];
for (const m of MODES) rows.push(await measure(m));
printTable(`AIOS Node RSS, idle and with ${RUNS} runs waiting 48 h for a reply (MiB)`, ['mode', 'idle 10 s after start', 'idle 30 s after', 'runs waiting', 'of them parked', 'RSS 10 s after the burst', 'RSS 90 s after', 'RSS 240 s after', 'added (240 s, to idle at 30 s)', 'KiB per waiting run (240 s)', 'calls/s while loading'], rows);
process.exit(0);
