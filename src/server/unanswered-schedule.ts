import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import type { TenantInfo } from '../records/tenants.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import type { Watcher } from '../awareness/watcher.js';
import { raiseUnanswered, resolveUnanswered, CUSTOMER_UNANSWERED } from '../awareness/unanswered-watcher.js';
import { inboundMessage, type InboundMessageSettingsT } from '../autonomy/playbooks/inbound-message.js';

/** What the check needs. */
export interface UnansweredDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  host: PlaybookHost;
  tenants: { all(): TenantInfo[] };
}

/** The business hours a tenant's customer may wait (`playbooks.inbound-message.unanswered_hours`). */
function unansweredHours(tenant: TenantInfo): number | undefined {
  return (tenant.playbookSettings[inboundMessage.id] as InboundMessageSettingsT | undefined)?.unanswered_hours;
}

/**
 * `customer_unanswered` (texts and other non-email conversations) as one of the scheduler's
 * watchers (src/server/watch-schedule.ts); its threshold is the inbound-message playbook's setting.
 */
export const customerUnansweredWatcher: Watcher = {
  id: 'customer-unanswered',
  kinds: [CUSTOMER_UNANSWERED],
  raise: (c) => raiseUnanswered(c.db, c.tenant, c.now, unansweredHours(c.tenant)),
  resolve: (c) => resolveUnanswered(c.db, c.tenant, c.now),
};

/**
 * One pass of the `customer_unanswered` watcher alone over every business, dispatching the new
 * signals. Returns how many were raised. (The scheduler runs it with the others.)
 * @param now the instant to measure against (tests inject it).
 */
export async function checkUnanswered(d: UnansweredDeps, now: Date = d.clock.now()): Promise<number> {
  let raised = 0;
  for (const tenant of d.tenants.all()) {
    const signals = await raiseUnanswered(d.db, tenant, now, unansweredHours(tenant));
    for (const s of signals) await d.host.dispatchSignal(s);
    raised += signals.length;
  }
  return raised;
}
