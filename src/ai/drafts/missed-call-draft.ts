import type { ModelClient } from '../model-client.js';
import { withOfflineFallback, type OfflineReason } from '../offline.js';
import { draftMissedCallText, type MissedCallDraftInput } from '../templates/missed-call-text.js';
import { inspectOutbound, type OutboundAllowList } from '../../core/outbound-guard.js';
import { firstName } from '../../core/sanitize-name.js';
import { countSegments, describeSegments, toGsmFriendly } from '../../core/sms-segments.js';

/** A drafted text and how it was made. */
export interface Draft {
  text: string;
  drafter: 'model' | 'template';
  /** Why the template was used when a model is configured (timeout, budget…), else null. */
  offlineReason: OfflineReason | null;
  /** 0..1: the template is exact (1); a model draft that passed the checks gets 0.8. */
  confidence: number;
}

/**
 * Checks a model's draft before it can be proposed: size (at most `maxSegments` SMS segments,
 * measured by `countSegments`), and no link or phone number other
 * than the business's own, by the shared outbound guard (`inspectOutbound`: normalised text, every
 * disguise it knows), so a compromised model cannot slip in a phishing link or another number.
 * Returns the problem, or null when the draft is acceptable. (The policy gate checks the final text
 * again, whoever wrote it.)
 */
export function draftProblem(text: string, allowed: OutboundAllowList, maxSegments = 1): string | null {
  if (!text.trim()) return 'empty draft';
  const size = countSegments(text);
  if (size.segments > maxSegments) return `draft is ${describeSegments(size)} (max ${maxSegments})`;
  const found = inspectOutbound(text, allowed);
  if (found.foreignLinks.length) return `draft contains a link that is not the business's: ${found.foreignLinks[0]}`;
  if (found.foreignNumbers.length) return `draft contains a phone number that is not the business's: ${found.foreignNumbers[0]}`;
  return null;
}

/**
 * The text sent after a missed call: written by the model when one is configured (in the owner's
 * voice, caller ID passed as untrusted data), otherwise — or when the model fails or writes
 * something that does not pass {@link draftProblem}, e.g. longer than one SMS segment — the offline
 * template. Typographic characters in the model's text are replaced by plain ones first unless
 * `plainCharacters` (the owner's `profile.sms.plain_characters`) is false.
 */
export async function draftMissedCall(
  models: ModelClient,
  i: MissedCallDraftInput & { tenantId: string; businessPhone: string; runId?: string; voiceRules?: string; allowed?: OutboundAllowList; plainCharacters?: boolean },
): Promise<Draft> {
  const plain = i.plainCharacters ?? true;
  const template = draftMissedCallText(i, plain);
  const callerName = firstName(i.callerFirstName);
  if (!models.spec) return { text: template, drafter: 'template', offlineReason: null, confidence: 1 };
  const res = await withOfflineFallback(
    async () => {
      const r = await models.generateText({
        tenantId: i.tenantId,
        purpose: 'draft_missed_call',
        runId: i.runId,
        maxOutputTokens: 200,
        system: [
          `You write one SMS for ${i.businessName}, a small business, to a caller whose call we missed.`,
          `Tone: ${i.tone}.${i.voiceRules ? ` Voice rules from the owner:\n${i.voiceRules}` : ''}`,
          'Never quote prices, discounts, guarantees or arrival times. Never include any link or phone number except those given here.',
        ].join('\n'),
        instructions: [
          'Write the SMS only, no quotes, at most 160 characters (one SMS segment), plain characters only: no curly quotes, dashes, ellipses or emoji.',
          'Apologise for missing the call, ask what they need, and invite a reply.',
          i.bookingLink ? `You may include the booking link ${i.bookingLink}.` : 'There is no booking link.',
          i.hoursToday === null ? 'The business is closed today; say the reply will come next business day.' : '',
          i.signOff ? `End with: ${i.signOff}` : '',
        ].filter(Boolean).join('\n'),
        untrusted: callerName ? [{ label: 'caller-id-name', text: callerName }] : [],
      });
      const trimmed = r.text.trim().replace(/^"|"$/g, '');
      const text = plain ? toGsmFriendly(trimmed) : trimmed;
      const problem = draftProblem(text, i.allowed ?? { links: i.bookingLink ? [i.bookingLink] : [], numbers: [i.businessPhone] });
      if (problem) throw Object.assign(new Error(problem), { draftRejected: true });
      return text;
    },
    () => template,
  ).catch((err: unknown) => {
    if (err && typeof err === 'object' && 'draftRejected' in err) return { value: template, offline: true as const, reason: 'invalid_output' as const };
    throw err;
  });
  return res.offline
    ? { text: template, drafter: 'template', offlineReason: res.reason, confidence: 1 }
    : { text: res.value, drafter: 'model', offlineReason: null, confidence: 0.8 };
}
