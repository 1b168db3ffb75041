import type { RunContext } from '../engine/run-context.js';
import { approvalTopic } from '../engine/run-context.js';
import type { PolicyReason } from '../policy/evaluate-policy.js';
import { requestApproval, expireApproval, type ApprovalDecision } from '../approvals/approvals.js';
import { enqueueOutbox, deliverOutbox } from '../../connection/outbox/outbox.js';
import { approvalNotice } from './approval-notice.js';

/** The owner's answer to one approval request, as the run sees it. */
export type OwnerDecision =
  | { status: 'approved'; edits: ApprovalDecision['edits']; decidedBy: string }
  | { status: 'rejected'; reason: string | null; decidedBy: string }
  | { status: 'expired' };

/**
 * Asks the owner and waits durably for the answer. Steps: `<id>.request-approval` (approval row with
 * a single-use link token, and the owner's notice queued in the outbox to `owner.phone` from
 * tenant.yaml — never an address from a draft), `<id>.notify-owner`, the wait (up to the approval
 * deadline), and `<id>.expire` when nobody decided.
 */
export async function awaitOwnerDecision(
  ctx: RunContext,
  id: string,
  req: { kind: string; recipient: string | null; proposal: Record<string, unknown>; reasons: PolicyReason[]; noticeWhat: string; noticeText: string },
): Promise<OwnerDecision> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const key = `${ctx.runId}:${id}`;
  const asked = await ctx.step(`${id}.request-approval`, async () => {
    const now = clock.now();
    const deadline = new Date(now.getTime() + ctx.deps.approvalWaitMs);
    const linkExpiresAt = new Date(Math.min(deadline.getTime(), now.getTime() + ctx.deps.approvalLinkTtlMs));
    const { approvalId, token } = await requestApproval(db, {
      tenantId: tenant.id, runId: ctx.runId, stepId: id, actionKind: req.kind, recipient: req.recipient,
      proposal: req.proposal, reasons: req.reasons, deadline, linkExpiresAt,
    });
    if (tenant.owner.phone) {
      await enqueueOutbox(db, {
        tenantId: tenant.id, runId: ctx.runId, stepId: `${id}.notify-owner`, idempotencyKey: `${key}.notify-owner`,
        kind: 'owner.notify', channel: 'sms', recipient: tenant.owner.phone,
        payload: { from: tenant.phone, body: approvalNotice(tenant.name, req.noticeWhat, req.noticeText, `${ctx.deps.publicUrl()}/a/${token}`) },
      });
    }
    return { approvalId, deadline: deadline.toISOString() };
  });
  if (tenant.owner.phone) {
    await ctx.step(`${id}.notify-owner`, async () => {
      const row = await db.selectFrom('outbox').select('id').where('idempotency_key', '=', `${key}.notify-owner`).executeTakeFirst();
      return row ? (await deliverOutbox(db, ctx.deps.channels, row.id, () => clock.now())).status : 'none';
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
