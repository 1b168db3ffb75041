import type { RunContext } from '../engine/run-context.js';
import { approvalTopic } from '../engine/run-context.js';
import type { PolicyReason } from '../policy/evaluate-policy.js';
import { requestApproval, expireApproval, type ApprovalDecision } from '../approvals/approvals.js';
import { enqueueOutbox, deliverOutbox } from '../../connection/outbox/outbox.js';
import { withRenderedBody } from '../../connection/channels/rendered-channel.js';
import { findContactByPhone } from '../../records/contacts.js';
import { crashPoint } from '../../core/crash-point.js';
import type { Db } from '../../store/db.js';
import { approvalNotice } from './approval-notice.js';
import type { UntrustedText } from '../../ai/prompt.js';

/** The owner's answer to one approval request, as the run sees it. */
export type OwnerDecision =
  | { status: 'approved'; edits: ApprovalDecision['edits']; decidedBy: string }
  | { status: 'rejected'; reason: string | null; decidedBy: string }
  | { status: 'expired' };

/** What the owner's notice shows about the action (see `approval-notice.ts`). */
export interface NoticeRequest {
  /** "Proposed text", or "Run crm.create_note". */
  label: string;
  /** The text (or summary) to approve. */
  text: string;
  /** What happened, e.g. "missed call 2:05 p.m." or "proposed by token:zapier". */
  context: string | null;
  /** Whether the owner may answer with an edited text. */
  editable: boolean;
}

/**
 * Asks the owner and waits durably for the answer. `untrusted`: outside text the proposal rests on
 * (the customer's message, the triggering email), stored on the approval and marked in every view. Steps: `<id>.request-approval` (approval row
 * with a short code and a link token derived from the instance key, and the owner's notice queued
 * in the outbox to `owner.phone` from tenant.yaml — never an address from a draft; the stored
 * notice holds `…/a/[link]`, never the token), `<id>.notify-owner` (the link is put in at send
 * time, in memory), the wait (up to the approval deadline), and `<id>.expire` when nobody decided.
 */
export async function awaitOwnerDecision(
  ctx: RunContext,
  id: string,
  req: {
    kind: string; recipient: string | null; proposal: Record<string, unknown>; reasons: PolicyReason[]; notice: NoticeRequest; untrusted?: readonly UntrustedText[];
    /** Runs in the request step right after the approval row exists (e.g. the caller's own row marked "in approval"); replayed with the step, so it must be idempotent. */
    onRequested?: (approvalId: string) => Promise<void>;
  },
): Promise<OwnerDecision> {
  const { db, clock, approvalLinks: links } = ctx.deps;
  const tenant = ctx.tenant;
  const key = `${ctx.runId}:${id}`;
  const asked = await ctx.step(`${id}.request-approval`, async () => {
    const now = clock.now();
    const deadline = new Date(now.getTime() + ctx.deps.approvalWaitMs);
    const linkExpiresAt = new Date(Math.min(deadline.getTime(), now.getTime() + ctx.deps.approvalLinkTtlMs));
    const { approvalId, shortCode } = await requestApproval(db, links, {
      tenantId: tenant.id, runId: ctx.runId, stepId: id, actionKind: req.kind, recipient: req.recipient,
      proposal: req.proposal, reasons: req.reasons, deadline, linkExpiresAt, untrusted: req.untrusted,
    });
    if (req.onRequested) await req.onRequested(approvalId);
    if (tenant.owner.phone) {
      const others = await otherPendingCount(db, tenant.id, approvalId, now);
      const body = approvalNotice({
        business: tenant.name, who: await describeRecipient(db, tenant.id, req.kind, req.recipient), context: req.notice.context,
        label: req.notice.label, text: req.notice.text, editable: req.notice.editable, code: others > 0 ? shortCode : null,
        smsReplies: ctx.deps.ownerSmsReplies, link: links.redactedUrl(),
      });
      await enqueueOutbox(db, {
        tenantId: tenant.id, runId: ctx.runId, stepId: `${id}.notify-owner`, idempotencyKey: `${key}.notify-owner`,
        kind: 'owner.notify', channel: 'sms', recipient: tenant.owner.phone,
        payload: { from: tenant.phone, body, approvalId },
      });
    }
    crashPoint('approval.after-request');
    return { approvalId, deadline: deadline.toISOString() };
  });
  if (tenant.owner.phone) {
    await ctx.step(`${id}.notify-owner`, async () => {
      const row = await db.selectFrom('outbox').selectAll().where('idempotency_key', '=', `${key}.notify-owner`).executeTakeFirst();
      if (!row) return 'none';
      const approval = await db.selectFrom('approvals').select('link_nonce').where('id', '=', asked.approvalId).executeTakeFirst();
      const nonce = approval?.link_nonce;
      // Notices queued before derived links existed carry their link already; newer ones get it here, in memory.
      const channels = nonce
        ? { ...ctx.deps.channels, sms: withRenderedBody(ctx.deps.channels.sms, (m) => {
          const r = links.render(m.body, asked.approvalId, nonce);
          return { body: r.body, secrets: [r.secret] };
        }) }
        : ctx.deps.channels;
      return (await deliverOutbox(db, channels, row, () => clock.now())).status;
    }, { attempts: 5 });
  }
  const waitMs = new Date(asked.deadline).getTime() - clock.now().getTime();
  const d = await ctx.waitFor<ApprovalDecision>(approvalTopic(asked.approvalId), Math.max(waitMs, 1), 'approval');
  if (!d) {
    await ctx.step(`${id}.expire`, async () => {
      await expireApproval(db, asked.approvalId);
      return 'expired';
    });
    return { status: 'expired' };
  }
  if (d.decision === 'rejected') return { status: 'rejected', reason: d.reason, decidedBy: d.decidedBy };
  return { status: 'approved', edits: d.edits, decidedBy: d.decidedBy };
}

/** Pending approvals of the business other than `approvalId` (still within their deadline). */
async function otherPendingCount(db: Db, tenantId: string, approvalId: string, now: Date): Promise<number> {
  const r = await db.selectFrom('approvals').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId).where('status', '=', 'pending').where('deadline', '>', now).where('id', '!=', approvalId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** "Jane Doe (+14165550170)" when the recipient of a text is a named contact, else the address. */
async function describeRecipient(db: Db, tenantId: string, kind: string, recipient: string | null): Promise<string> {
  if (!recipient) return 'someone';
  if (kind !== 'sms.send') return recipient;
  const name = (await findContactByPhone(db, tenantId, recipient))?.name?.trim();
  return name ? `${name} (${recipient})` : recipient;
}
