import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeSms } from '../actions/propose.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** Signal kind raised when someone outside a playbook (an MCP client, an API caller) proposes a text. */
export const ACTION_PROPOSED = 'action_proposed';

/**
 * A text proposed by an outside caller — typically an AI assistant over MCP — goes through exactly
 * the gate a playbook's text does: policy (opt-out, first contact, daily limit, quiet hours),
 * the owner's approval when required, the outbox. The caller never sends directly.
 */
export const proposedSms = definePlaybook({
  id: 'proposed-sms',
  version: 1,
  title: 'Send a proposed text through the policy gate',
  trigger: { signal: ACTION_PROPOSED },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(),
  minutesPerRun: ACTION_KINDS.textSend.minutes,
  async run(ctx, input) {
    const body = String(input.data.body ?? '');
    const proposedBy = String(input.data.proposedBy ?? 'unknown');
    const out = await proposeSms(ctx, 'send', { kind: 'sms.send', to: input.subject, body, ledger: { category: 'proposed_sms', minutesSaved: ACTION_KINDS.textSend.minutes, since: input.occurredAt, note: `proposed by ${proposedBy}` }, context: `proposed by ${proposedBy}`,
      // The whole text was written outside AIOS (an assistant, an API caller): the owner sees it marked so.
      untrusted: [{ label: `text proposed through the API or MCP with the token of ${proposedBy}`, text: body }],
      // The caller chose the number: someone the business is not yet talking with waits for the owner.
      recipientChosenByProposer: true });
    if (out.status === 'sent') return { summary: `texted ${input.subject} (proposed by ${proposedBy}${out.approvedBy ? `, approved by ${out.approvedBy}` : ''})`, resolved: true };
    if (out.status === 'refused') return { summary: `refused by policy: ${out.reasons.map((r) => r.detail).join('; ')}`, resolved: true };
    if (out.status === 'rejected') return { summary: `owner rejected: ${out.reason ?? ''}`, resolved: true };
    if (out.status === 'expired') return { summary: 'approval expired; not sent', resolved: true };
    return { summary: `text ${out.status}: ${out.error ?? ''}` };
  },
});
