import type { RunContext } from '../engine/run-context.js';
import { evaluatePolicy, type PolicyReason } from '../policy/evaluate-policy.js';
import { recipientFacts } from './policy-facts.js';
import { awaitOwnerDecision } from './owner-decision.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { inspectOutbound } from '../../core/outbound-guard.js';
import { outboundAllowList } from './outbound-allowed.js';
import { audit } from '../../records/audit.js';
import type { UntrustedText } from '../../ai/prompt.js';

/** A mail a playbook wants to send (fixed recipient; text written by the playbook). */
export interface EmailProposal {
  to: string;
  subject: string;
  body: string;
  /** iCalendar text sent as an invite (`text/calendar`), e.g. a booking's METHOD:REQUEST. */
  ics?: string;
  /** Message-ID (with angle brackets) of the mail this answers: the reply joins its thread. */
  inReplyTo?: string;
  /** The thread's Message-IDs, oldest first (the answered mail's References plus its Message-ID). */
  references?: string[];
  /** Files to attach (e.g. a proposal PDF), at most a few MB in all: they are stored in the outbox row. */
  attachments?: EmailAttachment[];
  /** Shown to the owner beside the proposal (why it is proposed); outside text here is marked untrusted. */
  context?: string;
  /** `always`: the owner approves whatever the policy says (an `auto` outcome becomes `approve`; `never` still refuses). */
  approval?: 'always';
  /** Links the playbook took from a record (e.g. the invoice's payment page), allowed by the outbound guard besides the business's own. Never model output. */
  recordLinks?: string[];
  /** Run inside the `<id>.send` step before the outbox row is written: a reason string cancels the send (e.g. the invoice was paid while the owner decided). Must be idempotent. */
  precheck?: () => Promise<string | null>;
  /** Outside text the mail rests on (the email it answers, quoted customer text): marked as such on the approval. */
  untrusted?: readonly UntrustedText[];
}

/** A file attached to a proposed mail. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** The file's bytes, base64. */
  contentBase64: string;
}

/** The reason recorded when a playbook asks the owner although the policy would send by itself. */
export const ALWAYS_APPROVE_REASON: PolicyReason = { rule: 'playbook_requires_approval', decision: 'approve', detail: 'this playbook always asks the owner before sending' };

/** How an email proposal ended. */
export type EmailOutcome =
  | { status: 'sent'; outboxId: string; approvedBy: string | null }
  | { status: 'no_channel' }
  | { status: 'refused'; reasons: PolicyReason[] }
  | { status: 'rejected' | 'expired' }
  | { status: 'failed' | 'cancelled'; error: string | null };

/**
 * Sends a mail through the policy (`email.send`, effect `send`: opt-out, first contact, daily limit,
 * outbound guard), the owner's approval when asked, and the `email` outbox channel. Steps:
 * `<id>.decide`, approvals, `<id>.send` (outbox key `runId:id`). Without an email channel
 * (`AIOS_SMTP_URL` unset) nothing is queued.
 */
export async function proposeEmail(ctx: RunContext, id: string, p: EmailProposal): Promise<EmailOutcome> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  if (!ctx.deps.channels.email) return { status: 'no_channel' };
  const key = `${ctx.runId}:${id}`;
  const decided = await ctx.step(`${id}.decide`, async () => {
    const now = clock.now();
    const facts = await recipientFacts(db, tenant.id, p.to, now, tenant.timeZone, key);
    const allowed = outboundAllowList(tenant, ctx.deps.publicUrl());
    const { foreignLinks, foreignNumbers } = inspectOutbound(p.body, p.recordLinks?.length ? { ...allowed, links: [...allowed.links, ...p.recordLinks] } : allowed);
    const d = evaluatePolicy(ctx.deps.policy(tenant.id), { kind: 'email.send', effect: 'send', recipient: p.to, foreignLinks, foreignNumbers }, facts);
    const reasons = d.reasons.filter((r) => r.decision !== 'hold');
    const outcome = p.approval === 'always' && d.outcome === 'auto' ? 'approve' : d.outcome;
    if (outcome !== d.outcome) reasons.push(ALWAYS_APPROVE_REASON);
    await audit(db, tenant.id, 'policy', `policy.${outcome}`, ctx.runId, { step: id, kind: 'email.send', to: p.to, reasons });
    return { outcome, reasons };
  });
  if (decided.outcome === 'never') return { status: 'refused', reasons: decided.reasons };
  let approvedBy: string | null = null;
  if (decided.outcome === 'approve') {
    const d = await awaitOwnerDecision(ctx, id, {
      kind: 'email.send', recipient: p.to, proposal: { kind: 'email.send', to: p.to, subject: p.subject, body: p.body, ...(p.attachments?.length ? { attachments: p.attachments.map((a) => a.filename) } : {}) }, reasons: decided.reasons,
      notice: { label: 'Proposed email', text: `${p.subject}\n${p.body}`, context: p.context ?? null, editable: false }, untrusted: p.untrusted,
    });
    if (d.status !== 'approved') return { status: d.status };
    approvedBy = d.decidedBy;
  }
  const res = await ctx.step(`${id}.send`, async () => {
    const stop = p.precheck ? await p.precheck() : null;
    if (stop) return { status: 'cancelled' as const, outboxId: '', error: stop, providerRef: null, sentAt: null };
    const row = await enqueueOutboxRow(db, {
      tenantId: tenant.id, runId: ctx.runId, stepId: id, idempotencyKey: key, kind: 'email.send', channel: 'email', recipient: p.to,
      payload: {
        from: 'instance', body: p.body, subject: p.subject,
        ...(p.ics ? { ics: p.ics } : {}),
        ...(p.inReplyTo ? { inReplyTo: p.inReplyTo } : {}),
        ...(p.references?.length ? { references: p.references } : {}),
        ...(p.attachments?.length ? { attachments: p.attachments } : {}),
      },
    });
    return deliverOutbox(db, ctx.deps.channels, row, () => clock.now());
  }, { attempts: 6, backoffSeconds: 2 });
  if (res.status === 'sent') return { status: 'sent', outboxId: res.outboxId, approvedBy };
  return { status: res.status, error: res.error };
}
