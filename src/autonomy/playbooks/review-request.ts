import { z } from 'zod';
import { sql } from 'kysely';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeSms } from '../actions/propose.js';
import { JOB_DONE } from '../booking/booking-api.js';
import { classifyMessageIntent } from '../../awareness/message-intent.js';
import { quotableName } from '../../records/contact-names.js';
import { firstName } from '../../core/sanitize-name.js';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** Settings under `playbooks.review-request` in tenant.yaml. */
export const ReviewRequestSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** A customer is asked at most once in this many months. */
    months_between: z.number().int().min(1).max(120).default(6),
  })
  .strict();
export type ReviewRequestSettingsT = z.infer<typeof ReviewRequestSettings>;

/** When a job has no deal to date it from, complaints this many days before it count. */
const COMPLAINT_LOOKBACK_DAYS = 90;

type Check = { ok: true; to: string; name: string | null } | { ok: false; why: string };

/**
 * After the job (`job_done`, raised by the appointment run), the customer is texted the business's
 * review link (`profile.review_link`) through the policy gate — unless one of these holds, and
 * the run's summary says which: no review link; the contact asked never to be asked
 * (`contacts.review_opt_out`) or opted out of texts; no phone number; a complaint since the job's
 * deal was opened (a `complaint` signal, or an inbound message read as a complaint); or a review
 * request already sent, queued or waiting for approval to them within `months_between` months (or
 * an earlier review-request run for them still going). Ledger entry `review_request` when sent.
 * Steps: `check`, `send.*`.
 */
export const reviewRequest = definePlaybook({
  id: 'review-request',
  version: 1,
  title: 'Ask for a review after the job',
  trigger: { signal: JOB_DONE },
  settings: ReviewRequestSettings,
  minutesPerRun: ACTION_KINDS.reviewAsk.minutes,
  async run(ctx, input) {
    const check = await ctx.step<Check>('check', () => checkReviewRequest(ctx.deps.db, ctx.tenant, ctx.runId, input.data, ctx.settings.months_between, ctx.deps.clock.now()));
    if (!check.ok) return { summary: `no review request: ${check.why}`, resolved: true };
    const link = ctx.tenant.profile.review_link!;
    const fr = ctx.tenant.locale.toLowerCase().startsWith('fr');
    const hi = check.name ? (fr ? `Bonjour ${check.name}, ` : `Hi ${check.name}, `) : (fr ? 'Bonjour, ' : 'Hi, ');
    const text = fr
      ? `${hi}merci d'avoir choisi ${ctx.tenant.name}! Si vous êtes satisfait du travail, pourriez-vous nous laisser un avis? ${link}`
      : `${hi}thank you for choosing ${ctx.tenant.name}! If you were happy with the job, would you leave us a quick review? ${link}`;
    const out = await proposeSms(ctx, 'send', {
      kind: 'sms.send', to: check.to, body: async () => ({ text, drafter: 'template', byAios: true }),
      ledger: { category: 'review_request', minutesSaved: ACTION_KINDS.reviewAsk.minutes, since: input.occurredAt }, context: 'review request after the job',
    });
    if (out.status === 'sent') return { summary: `review request texted to ${check.to}`, resolved: true };
    if (out.status === 'refused') return { summary: `review request refused by policy: ${out.reasons.map((r) => r.detail).join('; ')}`, resolved: true };
    return { summary: `review request ${out.status}`, resolved: true };
  },
});

/** Decides whether a review may be asked for (see {@link reviewRequest}); reads the database at `now`. */
async function checkReviewRequest(db: Db, tenant: TenantInfo, runId: string, data: Record<string, unknown>, months: number, now: Date): Promise<Check> {
  if (!tenant.profile.review_link) return { ok: false, why: 'no review link (set profile.review_link in tenant.yaml)' };
  const contactId = typeof data.contactId === 'string' ? data.contactId : '';
  const contact = await db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenant.id).where('id', '=', contactId).executeTakeFirst();
  if (!contact) return { ok: false, why: `contact ${contactId || '(none)'} not found` };
  if (contact.review_opt_out) return { ok: false, why: 'the customer is on the do-not-ask list (review_opt_out)' };
  if (contact.opted_out_at) return { ok: false, why: 'the customer opted out of texts (STOP)' };
  const address = typeof data.address === 'string' && data.channel === 'sms' ? data.address : null;
  const to = address ?? contact.phone;
  if (!to) return { ok: false, why: 'no phone number to text' };

  const deal = await db.selectFrom('deals').select('created_at').where('tenant_id', '=', tenant.id).where('contact_id', '=', contact.id).orderBy('created_at', 'desc').executeTakeFirst();
  const since = deal ? new Date(deal.created_at) : new Date(now.getTime() - COMPLAINT_LOOKBACK_DAYS * 86_400_000);
  const complaintSignal = await db.selectFrom('signals').select('id').where('tenant_id', '=', tenant.id).where('kind', '=', 'complaint')
    .where((eb) => eb.or([eb(sql<string>`data->>'contactId'`, '=', contact.id), eb('subject', '=', to)])).where('created_at', '>=', since).executeTakeFirst();
  if (complaintSignal) return { ok: false, why: 'the customer complained since the job was booked' };
  const inbound = await db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id').select('messages.body')
    .where('conversations.tenant_id', '=', tenant.id).where('conversations.contact_id', '=', contact.id).where('messages.direction', '=', 'inbound').where('messages.created_at', '>=', since).execute();
  if (inbound.some((m) => classifyMessageIntent(m.body).intent === 'complaint')) return { ok: false, why: 'the customer complained since the job was booked' };

  const recent = await sql<{ hit: boolean }>`
    select exists (
      select 1 from outbox o join runs r on r.id = o.run_id
      where o.tenant_id = ${tenant.id} and r.playbook = 'review-request' and r.id <> ${runId} and o.recipient = ${to}
        and o.status in ('pending', 'sending', 'sent') and o.created_at > ${now}::timestamptz - make_interval(months => ${months})
    ) or exists (
      select 1 from approvals a join runs r on r.id = a.run_id
      where a.tenant_id = ${tenant.id} and r.playbook = 'review-request' and r.id <> ${runId} and a.recipient = ${to} and a.status = 'pending'
    ) or exists (
      select 1 from runs r join signals s on s.id = r.trigger_ref
      where r.tenant_id = ${tenant.id} and r.playbook = 'review-request' and r.id <> ${runId} and r.status in ('running', 'waiting')
        and s.data->>'contactId' = ${contact.id} and (r.started_at, r.id) < (select started_at, id from runs where id = ${runId})
    ) as hit
  `.execute(db);
  if (recent.rows[0]?.hit) return { ok: false, why: `already asked within ${months} months` };
  return { ok: true, to, name: firstName(quotableName(contact)) };
}
