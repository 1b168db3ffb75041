import type { TenantInfo } from '../records/tenants.js';
import type { Approval } from '../store/schema.js';
import { ConflictError, InputError, NotFoundError } from '../core/errors.js';
import { decideApproval } from '../autonomy/approvals/approvals.js';
import { parseOwnerReply, type OwnerReply } from '../autonomy/approvals/owner-reply.js';
import type { IntakeDeps } from './intake.js';

/** The actor recorded for decisions taken by the owner's SMS answer. */
export const OWNER_SMS_ACTOR = 'owner:sms';

/** How many pending requests a "Which one?" answer lists. */
const LIST_MAX = 5;

/**
 * True when an inbound SMS is the owner answering AIOS: sent from the business's `owner.phone`
 * on a webhook whose Twilio signature was verified. Unsigned webhooks (no auth token configured)
 * never decide anything: anyone could forge the sender.
 */
export function isOwnerCommand(tenant: TenantInfo, from: string, signatureVerified: boolean): boolean {
  return signatureVerified && !!tenant.owner.phone && from === tenant.owner.phone;
}

/**
 * Answers the owner's SMS about pending approvals: parses `YES`, `NO <reason>` or an edited text
 * (with the short code when several wait), decides through `decideApproval` (actor `owner:sms`,
 * audited, once) and hands the decision to the run. Returns the confirmation to send back as TwiML.
 * An ambiguous or malformed answer decides nothing and says how to answer.
 */
export async function answerOwnerSms(d: IntakeDeps, tenant: TenantInfo, body: string): Promise<string> {
  const now = d.clock.now();
  const pending = await d.db.selectFrom('approvals').selectAll()
    .where('tenant_id', '=', tenant.id).where('status', '=', 'pending').where('deadline', '>', now)
    .orderBy('created_at', 'desc').execute();
  if (pending.length === 0) return 'Nothing is waiting for you.';
  const names = await contactNames(d, tenant.id, pending);
  const label = (a: Approval) => `${a.short_code ?? '?'} ${who(a, names)}`;
  const listing = pending.slice(0, LIST_MAX).map(label).join(', ');
  const reply = parseOwnerReply(body);
  if (reply.kind === 'unclear') {
    return pending.length === 1
      ? 'Not understood. Reply YES, NO <reason>, or your edited text.'
      : `Not understood. Waiting: ${listing}. Reply YES <code>, NO <code> <reason>, or <code> <your edited text>.`;
  }
  let target: Approval | undefined;
  if (reply.code) {
    target = pending.find((a) => a.short_code === reply.code);
    if (!target) return decidedAlready(d, tenant.id, reply.code, `Waiting: ${listing}.`);
  } else if (pending.length === 1) {
    target = pending[0]!;
  } else {
    return `Which one? ${listing}. Reply ${alternatives(reply, pending.slice(0, LIST_MAX))}.`;
  }
  if (reply.kind === 'reject' && !reply.reason.trim()) return `A rejection needs a reason: reply NO${reply.code ? ` ${reply.code}` : ''} <reason>, e.g. not our area. Nothing was decided.`;
  if (reply.kind === 'edit' && target.action_kind !== 'sms.send') return `${target.short_code} cannot be edited by SMS. Reply YES ${target.short_code} or NO ${target.short_code} <reason>.`;
  try {
    const { approval, delivery } = await decideApproval(d.db, {
      tenantId: tenant.id, approvalId: target.id, decision: reply.kind === 'reject' ? 'rejected' : 'approved',
      edits: reply.kind === 'edit' ? { body: reply.body } : null, reason: reply.kind === 'reject' ? reply.reason : null,
      actor: OWNER_SMS_ACTOR, now,
    });
    await d.host.deliverDecision(approval.run_id, delivery);
  } catch (err) {
    if (err instanceof InputError) return `Not decided: ${err.message}.${err.fix ? ` ${err.fix}` : ''}`;
    if (err instanceof ConflictError || err instanceof NotFoundError) return `Not decided: ${err.message}`;
    throw err;
  }
  if (reply.kind === 'reject') return 'Rejected; reason kept.';
  const action = target.action_kind === 'sms.send' ? `sending to ${who(target, names)}` : `running ${String((target.proposal as { kind?: string }).kind ?? target.action_kind)}`;
  return reply.kind === 'edit' ? `Approved with your text: ${action}.` : `Approved: ${action}.`;
}

/** "Reply YES K7Q or YES P2M" in the form of the owner's own answer. */
function alternatives(reply: Exclude<OwnerReply, { kind: 'unclear' }>, list: Approval[]): string {
  const forms = list.map((a) => {
    const c = a.short_code ?? '?';
    return reply.kind === 'approve' ? `YES ${c}` : reply.kind === 'reject' ? `NO ${c} <reason>` : `${c} <your text>`;
  });
  return forms.length > 1 ? `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}` : forms.join('');
}

/** A code that is not pending: already decided (say so), or unknown. */
async function decidedAlready(d: IntakeDeps, tenantId: string, code: string, waiting: string): Promise<string> {
  const last = await d.db.selectFrom('approvals').select(['status', 'decided_by']).where('tenant_id', '=', tenantId).where('short_code', '=', code)
    .where('status', '!=', 'pending').orderBy('created_at', 'desc').executeTakeFirst();
  if (last) return `${code} was already ${last.status}${last.decided_by ? ` (${last.decided_by})` : ''}; nothing changed. ${waiting}`;
  return `No request ${code} is waiting. ${waiting}`;
}

/** Contact names of the recipients of pending texts, by phone. */
async function contactNames(d: IntakeDeps, tenantId: string, list: Approval[]): Promise<Map<string, string>> {
  const phones = [...new Set(list.filter((a) => a.action_kind === 'sms.send' && a.recipient).map((a) => a.recipient!))];
  if (phones.length === 0) return new Map();
  const rows = await d.db.selectFrom('contacts').select(['phone', 'name']).where('tenant_id', '=', tenantId).where('phone', 'in', phones).execute();
  return new Map(rows.filter((r) => r.phone && r.name?.trim()).map((r) => [r.phone!, r.name!.trim()]));
}

/** The contact's name when known, else the number (or the MCP server of a tool call). */
function who(a: Approval, names: Map<string, string>): string {
  return (a.recipient && names.get(a.recipient)) || a.recipient || a.action_kind;
}
