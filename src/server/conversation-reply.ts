import type { Db } from '../store/db.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { OWNER_REPLY } from '../autonomy/playbooks/owner-reply.js';
import { PROPOSED_BY_PRINCIPAL } from '../autonomy/approvals/separation-of-duties.js';
import { InputError, NotFoundError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { audit } from '../records/audit.js';

/** Longest owner reply, in characters (ten SMS segments). */
export const OWNER_REPLY_MAX_CHARS = 1600;

/** What an owner's reply started. */
export interface ConversationReplyReceipt {
  conversationId: string;
  signalId: string;
  runId: string | null;
  duplicate: boolean;
}

/**
 * The owner answers a customer's conversation: recorded as an `owner_reply` signal whose
 * `owner-reply` run sends the text on the customer's channel through the policy gate (and then
 * clears `waiting_for_owner`), all in one transaction; audited with the actor. Bad input stores
 * nothing: an empty or too long body and a conversation on a channel AIOS cannot answer are
 * `InputError`s, an unknown conversation is `NotFoundError`.
 * @param p.principalId the person's principal (kept for separation of duties), when known.
 * @param p.idempotencyKey the same key answers once (a retried request starts nothing new).
 */
export async function replyToConversation(
  db: Db,
  host: PlaybookHost,
  p: { tenantId: string; conversationId: string; body: string; actor: string; principalId?: string; idempotencyKey?: string },
): Promise<ConversationReplyReceipt> {
  const body = p.body.trim();
  if (!body || body.length > OWNER_REPLY_MAX_CHARS) throw new InputError(`"body" must be 1 to ${OWNER_REPLY_MAX_CHARS} characters`, { fix: 'Send {"body": "your answer"} with the text the customer should get.' });
  const cv = await db.selectFrom('conversations').select(['id', 'channel', 'address', 'contact_id']).where('tenant_id', '=', p.tenantId).where('id', '=', p.conversationId).executeTakeFirst();
  if (!cv) throw new NotFoundError('conversation', p.conversationId);
  if (cv.channel !== 'sms') throw new InputError(`conversation ${cv.id} is on ${cv.channel}; AIOS answers only SMS conversations here for now`, { status: 409, fix: `Answer this customer on ${cv.channel} yourself (${cv.address}).` });
  const dedup = `${OWNER_REPLY}:${p.idempotencyKey ?? newId('rep')}`;
  const res = await db.transaction().execute(async (tx) => {
    const signal = await tx
      .insertInto('signals')
      .values({
        id: newId('sig'), tenant_id: p.tenantId, kind: OWNER_REPLY, subject: cv.address, severity: 'normal', dedup_key: dedup,
        data: JSON.stringify({ conversationId: cv.id, contactId: cv.contact_id, body, actor: p.actor, ...(p.principalId ? { [PROPOSED_BY_PRINCIPAL]: p.principalId } : {}) }),
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!signal) {
      const existing = await tx.selectFrom('signals').select(['id', 'run_id']).where('tenant_id', '=', p.tenantId).where('dedup_key', '=', dedup).executeTakeFirstOrThrow();
      return { signalId: existing.id, runId: existing.run_id, duplicate: true, plans: [] };
    }
    await audit(tx, p.tenantId, p.actor, 'conversation.reply', cv.id, { signalId: signal.id, chars: body.length });
    const plans = await host.planRuns(tx, signal);
    return { signalId: signal.id, runId: plans[0]?.runId ?? null, duplicate: false, plans };
  });
  await host.startPlanned(res.plans);
  return { conversationId: cv.id, signalId: res.signalId, runId: res.runId, duplicate: res.duplicate };
}
