import { z } from 'zod';
import type { ModelClient } from '../model-client.js';
import { withOfflineFallback, type OfflineReason } from '../offline.js';
import { checkOutput, extractJson } from '../structured.js';
import type { InvoiceReminderText, ReminderTone } from '../templates/invoice-reminder.js';

/** The model's answer: one rephrased paragraph. */
const Rephrased = z.object({ message: z.string().min(20).max(700) }).strict();

/** A reminder's message paragraph and who wrote it. */
export interface ReminderMessage {
  message: string;
  drafter: 'model' | 'template';
  offlineReason: OfflineReason | null;
}

/**
 * Why a model's paragraph cannot be used, or null: it may hold no digit (amounts, dates, invoice
 * numbers, phone numbers come only from the facts block), no link, no email address, no currency
 * sign, and none of the voice file's banned phrases.
 */
export function reminderMessageProblem(text: string, banned: string[]): string | null {
  if (/\d/.test(text)) return 'contains a digit (figures come from the record)';
  if (/https?:|www\.|\.[a-z]{2,}\//i.test(text)) return 'contains a link';
  if (/@/.test(text)) return 'contains an email address';
  if (/[$€£¥₹]/.test(text)) return 'contains a currency sign';
  const lower = text.toLowerCase();
  const hit = banned.find((b) => b && lower.includes(b));
  if (hit) return `uses a banned phrase: "${hit}"`;
  return null;
}

/**
 * The message paragraph of a reminder: with a model configured, the template's paragraph rephrased
 * in the owner's voice at the stage's tone (JSON `{ "message": … }`, zod-checked, then
 * {@link reminderMessageProblem}); the customer's name goes in only as untrusted data. Any model
 * failure or unusable answer → the template's paragraph. The facts block and recipient are never
 * the model's.
 */
export async function draftReminderMessage(
  models: ModelClient,
  i: { tenantId: string; runId?: string; businessName: string; tone: ReminderTone; template: InvoiceReminderText; voiceRules: string; banned: string[]; customerName: string | null },
): Promise<ReminderMessage> {
  const fallback: ReminderMessage = { message: i.template.message, drafter: 'template', offlineReason: null };
  if (!models.spec) return fallback;
  const res = await withOfflineFallback(
    async () => {
      const r = await models.generateText({
        tenantId: i.tenantId,
        purpose: 'draft_invoice_reminder',
        runId: i.runId,
        maxOutputTokens: 300,
        system: [
          `You rephrase one paragraph of a payment reminder email from ${i.businessName}, a small business, to a customer.`,
          `Tone: ${i.tone} (friendly = warm and light; firm = clear and direct; final = serious, last reminder before a phone call).`,
          i.voiceRules ? `Voice rules from the owner:\n${i.voiceRules}` : '',
          'Keep the meaning and the language of the paragraph (French: use "vous"). Write no numbers, amounts, dates, invoice numbers, links, email addresses or phone numbers: they are added below your paragraph from the invoice record.',
        ].filter(Boolean).join('\n'),
        instructions: `Paragraph to rephrase:\n${i.template.message.replace(/\d[\d,./-]*/g, '…')}\nAnswer with JSON only: {"message": "<the paragraph>"}`,
        untrusted: i.customerName ? [{ label: 'customer-name', text: i.customerName }] : [],
      });
      const checked = checkOutput(extractJson(r.text), Rephrased);
      if (!checked.ok) throw Object.assign(new Error(checked.problem), { draftRejected: true });
      const problem = reminderMessageProblem(checked.value.message, i.banned);
      if (problem) throw Object.assign(new Error(problem), { draftRejected: true });
      return checked.value.message.trim();
    },
    () => i.template.message,
  ).catch((err: unknown) => {
    if (err && typeof err === 'object' && 'draftRejected' in err) return { value: i.template.message, offline: true as const, reason: 'invalid_output' as const };
    throw err;
  });
  return res.offline ? { ...fallback, offlineReason: res.reason } : { message: res.value, drafter: 'model', offlineReason: null };
}
