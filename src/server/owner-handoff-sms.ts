import type { TenantInfo } from '../records/tenants.js';
import { isHandoffCode, WAITING_FOR_OWNER } from '../autonomy/conversation/handoff.js';
import { InputError } from '../core/errors.js';
import { replyToConversation } from './conversation-reply.js';
import { OWNER_SMS_ACTOR } from './owner-sms-intake.js';
import type { IntakeDeps } from './intake.js';

/** True when the owner's SMS starts with a handoff code (`R427 …`), i.e. answers a handed-over conversation. */
export function isHandoffAnswer(body: string): boolean {
  return isHandoffCode(body.trim().split(/\s+/)[0] ?? '');
}

/**
 * The owner's SMS `R427 <answer>` to a handoff notice: the answer goes to that conversation's
 * customer through `replyToConversation` (actor `owner:sms`, idempotent on the message id).
 * Returns the confirmation for the TwiML answer; a code that waits for nothing, or no text after
 * the code, sends nothing and says why.
 */
export async function answerHandoffSms(d: IntakeDeps, tenant: TenantInfo, body: string, messageSid: string): Promise<string> {
  const [word = '', ...rest] = body.trim().split(/\s+/);
  const code = word.toUpperCase();
  const text = rest.join(' ').trim();
  const cv = await d.db.selectFrom('conversations').select(['id', 'address']).where('tenant_id', '=', tenant.id).where('handoff_code', '=', code).where('state', '=', WAITING_FOR_OWNER).executeTakeFirst();
  if (!cv) return `No conversation ${code} is waiting for you; nothing was sent.`;
  if (!text) return `Nothing was sent: reply ${code} followed by your answer to ${cv.address}.`;
  try {
    await replyToConversation(d.db, d.host, { tenantId: tenant.id, conversationId: cv.id, body: text, actor: OWNER_SMS_ACTOR, idempotencyKey: `sms:${messageSid}` });
  } catch (err) {
    if (err instanceof InputError) return `Not sent: ${err.message}. ${err.fix}`;
    throw err;
  }
  return `Sending your answer to ${cv.address}.`;
}
