import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeSms } from '../actions/propose.js';
import { clearWaitingForOwner } from '../conversation/handoff.js';
import { audit } from '../../records/audit.js';

/** Signal kind raised when the owner answers a customer's conversation (API or SMS). */
export const OWNER_REPLY = 'owner_reply';

/**
 * The owner's answer to a conversation goes out on the customer's channel (SMS) through the same
 * gate as every text: the outbound guard and the policy (the text is the owner's: sent as written,
 * not made plain, and its prices and promises are the business's word, so no groundedness check). When it is sent the conversation is no longer waiting for the owner.
 * Steps: `send.*` (proposeSms), `clear`.
 */
export const ownerReply = definePlaybook({
  id: 'owner-reply',
  version: 1,
  title: "Send the owner's reply to a customer",
  trigger: { signal: OWNER_REPLY },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(),
  minutesPerRun: 1,
  async run(ctx, input) {
    const conversationId = String(input.data.conversationId);
    const actor = String(input.data.actor ?? 'owner');
    const out = await proposeSms(ctx, 'send', { kind: 'sms.send', to: input.subject, body: String(input.data.body ?? ''), context: `owner's reply (${actor})`, byOwner: true });
    if (out.status !== 'sent') {
      const why = out.status === 'refused' ? out.reasons.map((r) => r.detail).join('; ') : out.status === 'rejected' ? (out.reason ?? '') : out.status === 'expired' ? '' : (out.error ?? '');
      return { summary: `owner's reply ${out.status}${why ? `: ${why}` : ''}; conversation still waiting for the owner`, resolved: true };
    }
    await ctx.step('clear', async () => {
      await clearWaitingForOwner(ctx.deps.db, ctx.tenant.id, conversationId);
      await audit(ctx.deps.db, ctx.tenant.id, actor, 'conversation.owner_replied', conversationId, { outboxId: out.outboxId });
      return 'cleared';
    });
    return { summary: `owner's reply sent to ${input.subject} (${actor})`, resolved: true };
  },
});
