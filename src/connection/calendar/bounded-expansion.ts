import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { DEFAULT_RECURRENCE_BUDGET, expandRule, type RecurrenceBudget, type RuleExpansion, type RuleSpec } from './recurrence.js';

/**
 * A hard deadline on recurrence expansion. The rule is expanded in a worker thread while the
 * caller blocks on a shared counter (`Atomics.wait`) for at most the budget's `maxMs`; a worker
 * that has not answered by then is terminated (whatever the library is doing inside one call)
 * and the event is reported over budget. The API stays synchronous, so `expandIcs` keeps its
 * signature. The worker is started (and warmed up) on first use, together with a spare that
 * takes over at once when a worker is terminated, so one hostile event does not make the next
 * one wait for a thread to start. Workers are `unref`'d and never keep the process alive. A rule
 * that hit the deadline is answered from memory for 10 minutes (at the same or a smaller budget),
 * so a hostile invite costs one deadline, not one per availability query.
 */

/** Longest wait for a worker to start, ms; past it expansion falls back to the in-thread (soft) budget. */
const BOOT_TIMEOUT_MS = 15_000;

interface Runner {
  worker: Worker;
  port: MessagePort;
  flags: Int32Array;
  seq: number;
}

/** How long a rule that hit the hard deadline is answered from memory, ms (10 minutes). */
const TIMED_OUT_TTL_MS = 10 * 60_000;
/** Rules that hit the hard deadline (by spec), with when and at which budget: not run again meanwhile. */
const timedOut = new Map<string, { at: number; maxMs: number; reason: string }>();

let runner: Runner | null = null;
let spare: Runner | null = null;
let bootFailed = false;

function workerSource(): { code: string; eval: true } {
  const isTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./recurrence-worker.${isTs ? 'ts' : 'js'}`, import.meta.url).href;
  // A TypeScript source tree runs under tsx: the worker thread registers the loader itself.
  const code = isTs
    ? `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`
    : `import(${JSON.stringify(url)})`;
  return { code, eval: true };
}

/** Starts a worker; it says it is ready by setting `flags[0]` (not waited for here). */
function spawn(): Runner {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const src = workerSource();
  const worker = new Worker(src.code, { eval: src.eval, workerData: { reply: port2, flags }, transferList: [port2] });
  worker.unref();
  port1.unref();
  worker.on('error', () => {
    if (runner?.worker === worker) runner = null;
    if (spare?.worker === worker) spare = null;
  });
  return { worker, port: port1, flags, seq: 0 };
}

/** A ready worker: the current one, else the spare, else a new one waited for; null if none starts. */
function ready(): Runner | null {
  if (bootFailed) return null;
  if (!runner) {
    runner = spare ?? spawn();
    spare = null;
  }
  if (Atomics.load(runner.flags, 0) === 0 && Atomics.wait(runner.flags, 0, 0, BOOT_TIMEOUT_MS) === 'timed-out') {
    bootFailed = true;
    void runner.worker.terminate();
    runner = null;
    return null;
  }
  spare ??= spawn();
  return runner;
}

/**
 * The occurrence starts of a rule in `[from, to)`, or why not, never taking longer than
 * `budget.maxMs` (plus the thread hand-off, well under a millisecond) however hostile the rule.
 * Falls back to the in-thread budget (checked between chunks only) when no worker can start.
 */
export function expandRuleBounded(spec: RuleSpec, from: Date, to: Date, budget: RecurrenceBudget = DEFAULT_RECURRENCE_BUDGET): RuleExpansion {
  const id = JSON.stringify(spec);
  const known = timedOut.get(id);
  if (known && Date.now() - known.at < TIMED_OUT_TTL_MS && budget.maxMs <= known.maxMs) return { ok: false, reason: known.reason };
  const r = ready();
  if (!r) return expandRule(spec, from, to, budget);
  const seq = ++r.seq;
  const deadline = performance.now() + budget.maxMs;
  r.worker.postMessage({ seq, spec, from, to, budget });
  for (;;) {
    const done = Atomics.load(r.flags, 1);
    if (done === seq) break;
    const left = deadline - performance.now();
    if (left <= 0) {
      runner = null;
      void r.worker.terminate();
      spare ??= spawn();
      const reason = `recurrence over budget (expansion took more than ${budget.maxMs} ms; stopped): the event is left out of availability; simplify the rule at its source`;
      if (timedOut.size > 1000) timedOut.clear();
      timedOut.set(id, { at: Date.now(), maxMs: budget.maxMs, reason });
      return { ok: false, reason };
    }
    Atomics.wait(r.flags, 1, done, left);
  }
  for (let m = receiveMessageOnPort(r.port); m; m = receiveMessageOnPort(r.port)) {
    const msg = m.message as { seq: number; result: RuleExpansion };
    if (msg.seq === seq) return msg.result;
  }
  return { ok: false, reason: 'cannot expand: the expansion worker gave no answer' };
}

/**
 * Starts the expansion worker and its spare without blocking, resolving when both are ready (or
 * after 15 s). Optional: call at start-up so the first booking does not wait ~0.3 s for a thread.
 */
export async function warmRecurrenceWorkers(): Promise<void> {
  if (bootFailed) return;
  runner ??= spare ?? spawn();
  if (spare === runner) spare = null;
  spare ??= spawn();
  await Promise.all(
    [runner, spare].map(async (r) => {
      const until = Date.now() + BOOT_TIMEOUT_MS;
      while (Atomics.load(r.flags, 0) === 0 && Date.now() < until) await new Promise((ok) => setTimeout(ok, 10));
    }),
  );
}
