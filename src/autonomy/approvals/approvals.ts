import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Approval } from '../../store/schema.js';
import { newId, hashSecret } from '../../core/ids.js';
import { AiosError, ConflictError, InputError, NotFoundError } from '../../core/errors.js';
import { crashPoint } from '../../core/crash-point.js';
import { audit } from '../../records/audit.js';
import { assertNotProposer } from './separation-of-duties.js';
import { ApprovalLinks } from './approval-links.js';
import { newShortCode } from './short-codes.js';
import { outsideParts } from './untrusted.js';
import type { UntrustedText } from '../../ai/prompt.js';

/** The owner's decision, as delivered to the waiting run. */
export interface ApprovalDecision {
  approvalId: string;
  decision: 'approved' | 'rejected';
  /** Edited fields (only `body` may be edited); present for edit-then-approve. */
  edits: { body?: string } | null;
  reason: string | null;
  decidedBy: string;
}

/** Fields of a proposal the owner may change before approving. The recipient is never editable. */
export const EDITABLE_FIELDS = ['body'] as const;

/**
 * Creates the approval request for one proposed action, with a single-use link token and a short
 * code for SMS answers. Idempotent per (run, step): a step re-run after a crash finds the row and
 * gets the same token back (derived from the instance key and the row's nonce), so the link in the
 * owner's notice always works. `untrusted`: the parts of the proposal that came from outside (see
 * `untrusted.ts`), kept so every view of the approval can mark them. Returns the raw token, which is never stored (only its SHA-256).
 */
export async function requestApproval(
  db: Db,
  links: ApprovalLinks,
  a: { tenantId: string; runId: string; stepId: string; actionKind: string; recipient: string | null; proposal: Record<string, unknown>; reasons: unknown[]; deadline: Date; linkExpiresAt: Date; untrusted?: readonly UntrustedText[] },
): Promise<{ approvalId: string; token: string; shortCode: string | null; nonce: string }> {
  const existing = await approvalForStep(db, a.runId, a.stepId);
  if (existing) return issued(db, links, existing);
  for (let attempt = 0; attempt < 20; attempt++) {
    const id = newId('ap');
    const nonce = ApprovalLinks.newNonce();
    try {
      const row = await db
        .insertInto('approvals')
        .values({
          id,
          tenant_id: a.tenantId,
          run_id: a.runId,
          step_id: a.stepId,
          action_kind: a.actionKind,
          recipient: a.recipient,
          proposal: JSON.stringify(a.proposal),
          reasons: JSON.stringify(a.reasons),
          untrusted: JSON.stringify(outsideParts(a.untrusted)),
          token_hash: hashSecret(links.token(id, nonce)),
          token_expires_at: a.linkExpiresAt,
          deadline: a.deadline,
          link_nonce: nonce,
          short_code: newShortCode(),
        })
        .onConflict((oc) => oc.columns(['run_id', 'step_id']).doNothing())
        .returning(['id', 'link_nonce', 'short_code'])
        .executeTakeFirst();
      return issued(db, links, row ?? (await approvalForStep(db, a.runId, a.stepId))!);
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'approvals_pending_short_code') continue; // code taken: draw again
      throw err;
    }
  }
  throw new AiosError('short_codes_exhausted', `no free short code for a new approval of tenant ${a.tenantId}`, { fix: 'Decide or let expire some of the pending approvals (aios approvals).' });
}

function approvalForStep(db: Db, runId: string, stepId: string) {
  return db.selectFrom('approvals').select(['id', 'link_nonce', 'short_code']).where('run_id', '=', runId).where('step_id', '=', stepId).executeTakeFirst();
}

async function issued(db: Db, links: ApprovalLinks, row: { id: string; link_nonce: string | null; short_code: string | null }) {
  let nonce = row.link_nonce;
  if (!nonce) {
    // A row written before link nonces existed: its random token was never kept; issue a derived one.
    nonce = ApprovalLinks.newNonce();
    await db.updateTable('approvals').set({ link_nonce: nonce, token_hash: hashSecret(links.token(row.id, nonce)) }).where('id', '=', row.id).execute();
  }
  return { approvalId: row.id, token: links.token(row.id, nonce), shortCode: row.short_code, nonce };
}

function validateEdits(edits: Record<string, unknown> | null | undefined): { body?: string } | null {
  if (!edits) return null;
  const extra = Object.keys(edits).filter((k) => !(EDITABLE_FIELDS as readonly string[]).includes(k));
  if (extra.length) throw new InputError(`cannot edit ${extra.join(', ')}; only ${EDITABLE_FIELDS.join(', ')} may be edited`, { fix: 'Send only the message body as an edit; to change the recipient, reject and act by hand.' });
  if (edits.body !== undefined) {
    if (typeof edits.body !== 'string' || edits.body.trim() === '') throw new InputError('edited body must be a non-empty string', { fix: 'Send the edited text in "body", or approve without edits.' });
    if (edits.body.length > 1600) throw new InputError('edited body is longer than 1600 characters (10 SMS segments)', { fix: 'Shorten the text to at most 1600 characters.' });
  }
  return edits.body === undefined ? null : { body: edits.body.trim() };
}

/**
 * Records the owner's decision, once. A second decision on the same approval is refused with a
 * ConflictError that says who decided and when (harmless). Decisions after the deadline are refused.
 * `principalId` is the decider's principal: the principal that proposed the action is refused
 * (ForbiddenError, separation of duties). Returns the decision to deliver to the run; delivery is separate so a crash in between is
 * repaired by `pendingDeliveries` at the next start.
 */
export async function decideApproval(
  db: Db,
  req: { tenantId: string; approvalId?: string; tokenHash?: string; decision: 'approved' | 'rejected'; edits?: Record<string, unknown> | null; reason?: string | null; actor: string; principalId?: string | null; now: Date },
): Promise<{ approval: Approval; delivery: ApprovalDecision }> {
  const edits = req.decision === 'approved' ? validateEdits(req.edits) : null;
  if (req.principalId) await assertNotProposer(db, req.tenantId, { id: req.approvalId, tokenHash: req.tokenHash }, req.principalId);
  if (req.decision === 'rejected' && !req.reason?.trim()) throw new InputError('a rejection needs a reason', { fix: 'Say why, e.g. --reason "we do not serve that area"; the reason is kept and can become knowledge.' });
  let q = db
    .updateTable('approvals')
    .set({ status: req.decision, decided_by: req.actor, decided_at: req.now, edits: edits ? JSON.stringify(edits) : null, reason: req.reason?.trim() || null })
    .where('tenant_id', '=', req.tenantId)
    .where('status', '=', 'pending')
    .where('deadline', '>', req.now);
  q = req.approvalId ? q.where('id', '=', req.approvalId) : q.where('token_hash', '=', req.tokenHash ?? '').where('token_expires_at', '>', req.now);
  const updated = await q.returningAll().executeTakeFirst();
  if (!updated) {
    let lookup = db.selectFrom('approvals').selectAll().where('tenant_id', '=', req.tenantId);
    lookup = req.approvalId ? lookup.where('id', '=', req.approvalId) : lookup.where('token_hash', '=', req.tokenHash ?? '');
    const current = await lookup.executeTakeFirst();
    if (!current) throw new NotFoundError('approval', req.approvalId ?? '(this link)');
    if (current.status !== 'pending') throw new ConflictError(`approval ${current.id} was already ${current.status} by ${current.decided_by ?? 'the system'} at ${current.decided_at?.toISOString() ?? '?'}`, 'Nothing to do: the first decision stands.');
    if (!req.approvalId && current.token_expires_at && current.token_expires_at <= req.now) {
      throw new ConflictError(`this approval link expired at ${current.token_expires_at.toISOString()}`, 'Decide it with `aios approvals` or the dashboard instead.');
    }
    throw new ConflictError(`approval ${current.id} expired at ${current.deadline.toISOString()}`, 'The run went on without it; act by hand if still needed.');
  }
  await audit(db, req.tenantId, req.actor, `approval.${req.decision}`, updated.id, { edits, reason: updated.reason });
  crashPoint('approval.after-decide');
  return {
    approval: updated,
    delivery: { approvalId: updated.id, decision: req.decision, edits, reason: updated.reason, decidedBy: req.actor },
  };
}

/** Looks up a pending-or-decided approval by its link token (hash compared, never the raw token). */
export async function findByToken(db: Db, token: string): Promise<Approval | undefined> {
  return db.selectFrom('approvals').selectAll().where('token_hash', '=', hashSecret(token)).executeTakeFirst();
}

/** Decisions recorded but not yet delivered to their runs (a crash in between); redelivered at start. */
export async function pendingDeliveries(db: Db): Promise<Array<{ runId: string; delivery: ApprovalDecision }>> {
  const rows = await db.selectFrom('approvals').selectAll().where('status', 'in', ['approved', 'rejected']).where('delivered_at', 'is', null).execute();
  return rows.map((r) => ({
    runId: r.run_id,
    delivery: { approvalId: r.id, decision: r.status as 'approved' | 'rejected', edits: (r.edits as { body?: string } | null) ?? null, reason: r.reason, decidedBy: r.decided_by ?? 'unknown' },
  }));
}

/** Marks a decision as delivered to its run. */
export async function markDelivered(db: Db, approvalId: string): Promise<void> {
  await db.updateTable('approvals').set({ delivered_at: sql`now()` }).where('id', '=', approvalId).execute();
}

/** Marks an approval expired when its run stopped waiting. No-op if already decided. */
export async function expireApproval(db: Db, approvalId: string): Promise<void> {
  await db.updateTable('approvals').set({ status: 'expired' }).where('id', '=', approvalId).where('status', '=', 'pending').execute();
}
