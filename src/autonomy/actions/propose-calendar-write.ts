import type { RunContext } from '../engine/run-context.js';
import { evaluatePolicy, type PolicyReason } from '../policy/evaluate-policy.js';
import { awaitOwnerDecision } from './owner-decision.js';
import { audit } from '../../records/audit.js';

/** A calendar change a playbook wants to make (`calendar.create`, `calendar.update`, `calendar.cancel`). */
export interface CalendarWriteProposal {
  kind: 'calendar.create' | 'calendar.update' | 'calendar.cancel';
  /** The customer the event is for (their phone or email), for the audit and the owner's notice. */
  recipient: string;
  /** One line for the owner, e.g. "Plumbing visit Thu, Dec 3, 10:00 a.m. for Ana". */
  summary: string;
}

/** How a calendar proposal was decided. */
export type CalendarWriteDecision =
  | { status: 'go'; approvedBy: string | null }
  | { status: 'refused'; reasons: PolicyReason[] }
  | { status: 'rejected' | 'expired'; reason: string | null };

/**
 * Takes a calendar write through the policy gate (effect `write`: the messaging rules, quiet
 * hours and daily limits do not apply) and, when the policy says `approve`, the owner's decision.
 * Steps: `<id>.decide`, then for approvals those of `awaitOwnerDecision`. The write itself is the
 * caller's next step (its idempotency key `runId:id`).
 */
export async function proposeCalendarWrite(ctx: RunContext, id: string, p: CalendarWriteProposal): Promise<CalendarWriteDecision> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const decided = await ctx.step(`${id}.decide`, async () => {
    const now = clock.now();
    const d = evaluatePolicy(ctx.deps.policy(tenant.id), { kind: p.kind, effect: 'write', recipient: p.recipient }, { now, timeZone: tenant.timeZone, recipientOptedOut: false, isFirstContact: false, sentToRecipientToday: 0 });
    await audit(db, tenant.id, 'policy', `policy.${d.outcome}`, ctx.runId, { step: id, kind: p.kind, to: p.recipient, reasons: d.reasons });
    return { outcome: d.outcome, reasons: d.reasons };
  });
  if (decided.outcome === 'never') return { status: 'refused', reasons: decided.reasons };
  if (decided.outcome === 'auto') return { status: 'go', approvedBy: null };
  const d = await awaitOwnerDecision(ctx, id, {
    kind: p.kind, recipient: p.recipient, proposal: { kind: p.kind, to: p.recipient, summary: p.summary }, reasons: decided.reasons,
    notice: { label: p.kind === 'calendar.create' ? 'Book' : p.kind === 'calendar.cancel' ? 'Cancel booking' : 'Move booking', text: p.summary, context: null, editable: false },
  });
  if (d.status === 'approved') return { status: 'go', approvedBy: d.decidedBy };
  return { status: d.status, reason: d.status === 'rejected' ? d.reason : null };
}
