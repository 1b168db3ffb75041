import type { ModelClient } from '../model-client.js';
import { withOfflineFallback, type OfflineReason } from '../offline.js';
import { draftMissedCallText, type MissedCallDraftInput } from '../templates/missed-call-text.js';

/** A drafted text and how it was made. */
export interface Draft {
  text: string;
  drafter: 'model' | 'template';
  /** Why the template was used when a model is configured (timeout, budget…), else null. */
  offlineReason: OfflineReason | null;
  /** 0..1: the template is exact (1); a model draft that passed the checks gets 0.8. */
  confidence: number;
}

const URL_RE = /\bhttps?:\/\/[^\s)]+/gi;
const PHONE_RE = /\+?\d[\d\s().-]{7,}\d/g;

/**
 * Checks a model's draft before it can be proposed: length, and no link or phone number other
 * than the business's own (a compromised model must not slip in a phishing link or another
 * number). Returns the problem, or null when the draft is acceptable.
 */
export function draftProblem(text: string, allowed: { links: string[]; phones: string[] }, maxChars = 320): string | null {
  if (!text.trim()) return 'empty draft';
  if (text.length > maxChars) return `draft is ${text.length} characters (max ${maxChars})`;
  for (const url of text.match(URL_RE) ?? []) {
    if (!allowed.links.some((l) => url.replace(/[.,!?]+$/, '').replace(/\/$/, '') === l.replace(/\/$/, ''))) return `draft contains a link that is not the business's: ${url}`;
  }
  const digits = (s: string) => s.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
  for (const ph of text.match(PHONE_RE) ?? []) {
    if (!allowed.phones.some((p) => digits(p) === digits(ph))) return `draft contains a phone number that is not the business's: ${ph.trim()}`;
  }
  return null;
}

/**
 * The text sent after a missed call: written by the model when one is configured (in the owner's
 * voice, caller ID passed as untrusted data), otherwise — or when the model fails or writes
 * something that does not pass {@link draftProblem} — the offline template.
 */
export async function draftMissedCall(models: ModelClient, i: MissedCallDraftInput & { tenantId: string; businessPhone: string; runId?: string; voiceRules?: string }): Promise<Draft> {
  const template = draftMissedCallText(i);
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
          'Write the SMS only, no quotes, at most 300 characters.',
          'Apologise for missing the call, ask what they need, and invite a reply.',
          i.bookingLink ? `You may include the booking link ${i.bookingLink}.` : 'There is no booking link.',
          i.hoursToday === null ? 'The business is closed today; say the reply will come next business day.' : '',
          i.signOff ? `End with: ${i.signOff}` : '',
        ].filter(Boolean).join('\n'),
        untrusted: i.callerFirstName ? [{ label: 'caller-id-name', text: i.callerFirstName }] : [],
      });
      const text = r.text.trim().replace(/^"|"$/g, '');
      const problem = draftProblem(text, { links: i.bookingLink ? [i.bookingLink] : [], phones: [i.businessPhone] });
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
