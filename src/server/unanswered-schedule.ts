import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import type { TenantInfo } from '../records/tenants.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { raiseUnanswered } from '../awareness/unanswered-watcher.js';
import { inboundMessage, type InboundMessageSettingsT } from '../autonomy/playbooks/inbound-message.js';

/** How often the runtime looks for unanswered customers, in milliseconds. */
export const UNANSWERED_CHECK_MS = 5 * 60_000;

/** What the check needs. */
export interface UnansweredDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  host: PlaybookHost;
  tenants: { all(): TenantInfo[] };
}

/**
 * One pass over every business: raises `customer_unanswered` for each conversation waiting
 * longer than its `playbooks.inbound-message.unanswered_hours` business hours, and dispatches the
 * new signals (playbooks triggered by them start). Returns how many were raised.
 * @param now the instant to measure against (tests inject it).
 */
export async function checkUnanswered(d: UnansweredDeps, now: Date = d.clock.now()): Promise<number> {
  let raised = 0;
  for (const tenant of d.tenants.all()) {
    const settings = tenant.playbookSettings[inboundMessage.id] as InboundMessageSettingsT | undefined;
    const signals = await raiseUnanswered(d.db, tenant, now, settings?.unanswered_hours);
    for (const s of signals) await d.host.dispatchSignal(s);
    raised += signals.length;
  }
  return raised;
}

/** Runs {@link checkUnanswered} every {@link UNANSWERED_CHECK_MS}; returns the stop function. */
export function startUnansweredWatch(d: UnansweredDeps, everyMs = UNANSWERED_CHECK_MS): () => Promise<void> {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    checkUnanswered(d)
      .then((n) => { if (n) d.log.info({ raised: n }, 'customer_unanswered raised'); })
      .catch((err: unknown) => d.log.warn({ err }, 'unanswered check failed'))
      .finally(() => { running = false; });
  }, everyMs);
  timer.unref();
  return async () => clearInterval(timer);
}
