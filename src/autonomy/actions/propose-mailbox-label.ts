import type { RunContext } from '../engine/run-context.js';
import { evaluatePolicy, type PolicyReason } from '../policy/evaluate-policy.js';
import { awaitOwnerDecision } from './owner-decision.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { audit } from '../../records/audit.js';

/** A label a playbook wants put on a mailbox message (`email.label`, effect `write`). */
export interface MailboxLabelProposal {
  connectionId: string;
  /** RFC 5322 Message-ID (with angle brackets) of the message. */
  messageId: string;
  /** The folder the message is in (default: the connection's mailbox). */
  mailbox?: string;
  /** E.g. `AIOS/Lead`. */
  label: string;
  mode: 'keyword' | 'folder';
  /** Other AIOS labels to take off (a relabel). */
  remove?: string[];
  /** The mail's sender, for the audit and the owner's notice. */
  sender: string;
}

/** How a label proposal ended. */
export type MailboxLabelOutcome =
  | { status: 'done'; outboxId: string }
  | { status: 'no_channel' }
  | { status: 'refused'; reasons: PolicyReason[] }
  | { status: 'rejected' | 'expired' }
  | { status: 'failed' | 'cancelled'; error: string | null };

/**
 * Takes a mailbox change through the policy gate (kind `email.label`, effect `write`: no
 * messaging rules apply), the owner's decision when the policy says `approve`, and the `mailbox`
 * outbox channel (the imap connector's `email.label` with the connection's credentials). Steps:
 * `<id>.decide`, the decision's steps, `<id>.apply` (outbox key `runId:id`). The label comes from
 * the fixed category list, never from mail or model text.
 */
export async function proposeMailboxLabel(ctx: RunContext, id: string, p: MailboxLabelProposal): Promise<MailboxLabelOutcome> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  if (!ctx.deps.channels.mailbox) return { status: 'no_channel' };
  const kind = 'email.label';
  const decided = await ctx.step(`${id}.decide`, async () => {
    const d = evaluatePolicy(ctx.deps.policy(tenant.id), { kind, effect: 'write', recipient: p.sender }, { now: clock.now(), timeZone: tenant.timeZone, recipientOptedOut: false, isFirstContact: false, sentToRecipientToday: 0 });
    const reasons = d.reasons.filter((r) => r.decision !== 'hold');
    await audit(db, tenant.id, 'policy', `policy.${d.outcome}`, ctx.runId, { step: id, kind, label: p.label, messageId: p.messageId, reasons });
    return { outcome: d.outcome, reasons };
  });
  if (decided.outcome === 'never') return { status: 'refused', reasons: decided.reasons };
  if (decided.outcome === 'approve') {
    const d = await awaitOwnerDecision(ctx, id, {
      kind, recipient: p.sender, proposal: { kind, messageId: p.messageId, label: p.label, mode: p.mode }, reasons: decided.reasons,
      notice: { label: p.mode === 'folder' ? 'Move mail' : 'Label mail', text: `${p.label} on the mail from ${p.sender}`, context: null, editable: false },
    });
    if (d.status !== 'approved') return { status: d.status };
  }
  const res = await ctx.step(`${id}.apply`, async () => {
    const row = await enqueueOutboxRow(db, {
      tenantId: tenant.id, runId: ctx.runId, stepId: id, idempotencyKey: `${ctx.runId}:${id}`, kind, channel: 'mailbox', recipient: p.sender,
      payload: { from: 'aios', body: `${p.label} (${p.mode})`, connectionId: p.connectionId, action: 'email.label', input: { messageId: p.messageId, ...(p.mailbox ? { mailbox: p.mailbox } : {}), label: p.label, mode: p.mode, remove: p.remove ?? [] } },
    });
    return deliverOutbox(db, ctx.deps.channels, row, () => clock.now());
  }, { attempts: 4, backoffSeconds: 2 });
  if (res.status === 'sent') return { status: 'done', outboxId: res.outboxId };
  return { status: res.status, error: res.error };
}
