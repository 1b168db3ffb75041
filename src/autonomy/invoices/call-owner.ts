import type { RunContext } from '../engine/run-context.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { formatAmount } from '../../ai/templates/invoice-reminder.js';
import { sanitizeName } from '../../core/sanitize-name.js';
import type { InvoiceCallOwnerData } from '../../awareness/back-office-signals.js';

/**
 * Texts the owner (`owner.phone`) the +30-day call task: who to call, the number, what is owed.
 * An `owner.notify` outbox row (the owner's own phone, no approval needed), idempotent per run.
 * The customer's name is outside text: cleaned by `sanitizeName`. Steps: `<id>`.
 * @returns true when a notice was queued (false: the tenant has no owner phone).
 */
export async function notifyOwnerToCall(ctx: RunContext, id: string, d: InvoiceCallOwnerData): Promise<boolean> {
  const tenant = ctx.tenant;
  const ownerPhone = tenant.owner.phone;
  if (!ownerPhone) return false;
  const { db, clock } = ctx.deps;
  await ctx.step(id, async () => {
    const who = sanitizeName(d.customerName) ?? 'the customer';
    const amount = formatAmount(d.balanceCents, d.currency, tenant.locale);
    const body = `${tenant.name}: please call ${who}${d.phone ? ` (${d.phone})` : ''} about invoice ${d.number ?? d.invoiceId}: ${amount}, ${d.daysLate} days overdue after ${d.remindersSent} reminder${d.remindersSent === 1 ? '' : 's'}.`;
    const row = await enqueueOutboxRow(db, { tenantId: tenant.id, runId: ctx.runId, stepId: id, idempotencyKey: `${ctx.runId}:${id}`, kind: 'owner.notify', channel: 'sms', recipient: ownerPhone, payload: { from: tenant.phone, body }, createdAt: clock.now() });
    return (await deliverOutbox(db, ctx.deps.channels, row, () => clock.now())).status;
  }, { attempts: 5 });
  return true;
}
