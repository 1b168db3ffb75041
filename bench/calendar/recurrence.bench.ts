import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADAPTERS, type RecurrenceCase } from './recurrence-adapters.js';

/**
 * Recurrence expansion bench (`npm run bench:recurrence`): every case of
 * `rfc5545-examples.json` (RFC 5545 §3.8.5.3) and `recurrence-cases.json` (AIOS's own) in every
 * candidate library, one worker thread per library, with a per-case timeout so a hang counts as
 * a hang. Prints a markdown table: exact / total, RFC exact, own exact, hangs, median ms.
 * `--verbose` lists every miss.
 */

const HANG_MS = 3000;
const STARTUP_MS = 20_000;
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const load = (f: string) => (JSON.parse(readFileSync(here(f), 'utf8')) as { cases: RecurrenceCase[] }).cases.map((c) => ({ ...c }));
const rfc = load('./rfc5545-examples.json');
const own = load('./recurrence-cases.json');
const cases = [...rfc, ...own];
const verbose = process.argv.includes('--verbose');

type Outcome = { kind: 'ok'; got: string[]; ms: number } | { kind: 'error'; error: string; ms: number } | { kind: 'hang' };

function runLibrary(library: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  return new Promise((resolve) => {
    const spawn = (start: number) => {
      if (start >= cases.length) return resolve(outcomes);
      // Workers do not inherit tsx's loader: register it, then load the TypeScript worker.
      const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(new URL('./recurrence-worker.ts', import.meta.url).href)}); })`;
      const w = new Worker(boot, { eval: true, workerData: { library, cases, start } });
      let expecting = start;
      let timer = setTimeout(onHang, STARTUP_MS);
      function onHang() {
        outcomes[expecting] = { kind: 'hang' };
        w.removeAllListeners();
        void w.terminate();
        spawn(expecting + 1);
      }
      w.on('message', (m: { index: number; got?: string[]; error?: string; ms: number }) => {
        clearTimeout(timer);
        outcomes[m.index] = m.got ? { kind: 'ok', got: m.got, ms: m.ms } : { kind: 'error', error: m.error ?? 'error', ms: m.ms };
        expecting = m.index + 1;
        if (expecting >= cases.length) {
          w.removeAllListeners();
          void w.terminate();
          return resolve(outcomes);
        }
        timer = setTimeout(onHang, HANG_MS);
      });
      w.on('error', (err) => {
        clearTimeout(timer);
        outcomes[expecting] = { kind: 'error', error: err.message, ms: 0 };
        w.removeAllListeners();
        spawn(expecting + 1);
      });
    };
    spawn(0);
  });
}

const norm = (c: RecurrenceCase, xs: string[]) => xs.map((x) => (c.allDay ? x.slice(0, 10) : x));
const exact = (c: RecurrenceCase, o: Outcome) => o.kind === 'ok' && JSON.stringify(norm(c, o.got)) === JSON.stringify(norm(c, c.expected));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

const rows: string[] = [];
for (const library of Object.keys(ADAPTERS)) {
  const outcomes = await runLibrary(library);
  const ok = cases.map((c, i) => exact(c, outcomes[i]!));
  const count = (from: number, to: number) => ok.slice(from, to).filter(Boolean).length;
  const hangs = outcomes.filter((o) => o.kind === 'hang').length;
  const errors = outcomes.filter((o) => o.kind === 'error').length;
  const ms = outcomes.flatMap((o) => (o.kind === 'hang' ? [] : [o.ms]));
  rows.push(`| ${library} | ${count(0, cases.length)} / ${cases.length} | ${count(0, rfc.length)} / ${rfc.length} | ${count(rfc.length, cases.length)} / ${own.length} | ${hangs} | ${errors} | ${median(ms).toFixed(2)} |`);
  if (verbose) {
    cases.forEach((c, i) => {
      if (ok[i]) return;
      const o = outcomes[i]!;
      const what = o.kind === 'hang' ? 'HANG' : o.kind === 'error' ? `error: ${o.error}` : `got ${JSON.stringify(o.got.slice(0, 6))}${o.got.length > 6 ? '…' : ''} (${o.got.length})`;
      console.log(`${library} ✗ ${c.id}: ${what}; want ${JSON.stringify(c.expected.slice(0, 6))}${c.expected.length > 6 ? '…' : ''} (${c.expected.length})`);
    });
  }
}
console.log(`\nRecurrence expansion: ${rfc.length} RFC 5545 §3.8.5.3 examples + ${own.length} own cases; a case is exact when the first occurrences (all of them for a finite rule) match to the second in the event's zone; a hang is no answer within ${HANG_MS} ms.\n`);
console.log('| library | exact / total | RFC 5545 exact | own cases exact | hangs | errors | median ms |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
