import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { expandRule, type RecurrenceBudget, type RuleExpansion, type RuleSpec } from './recurrence.js';

/**
 * The worker thread behind `bounded-expansion.ts`: expands one rule per request and answers on
 * the reply port, then bumps the shared counter so the blocked caller wakes up. Warms the library
 * up before saying it is ready, so the first real event is not charged for JIT compilation.
 */

interface Request {
  seq: number;
  spec: RuleSpec;
  from: Date;
  to: Date;
  budget: RecurrenceBudget;
}

const { reply, flags } = workerData as { reply: MessagePort; flags: Int32Array };

for (let i = 0; i < 3; i++) {
  const warm: RuleSpec = { dtstart: '20260105T090000', tzid: 'America/Toronto', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', rdates: ['20260107T200000Z'], exdates: ['20260109T140000Z'] };
  expandRule(warm, new Date('2026-01-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), { maxMs: 10_000, maxOccurrences: 5000 });
  expandRule({ ...warm, rrule: 'FREQ=DAILY' }, new Date('2026-01-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), { maxMs: 10_000, maxOccurrences: 5000 });
}
Atomics.store(flags, 0, 1);
Atomics.notify(flags, 0);

parentPort!.on('message', (req: Request) => {
  let result: RuleExpansion;
  try {
    result = expandRule(req.spec, req.from, req.to, req.budget);
  } catch (err) {
    result = { ok: false, reason: `cannot expand: ${err instanceof Error ? err.message : String(err)}` };
  }
  reply.postMessage({ seq: req.seq, result });
  Atomics.store(flags, 1, req.seq);
  Atomics.notify(flags, 1);
});
