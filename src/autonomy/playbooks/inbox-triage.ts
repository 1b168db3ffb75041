import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeEmail } from '../actions/propose-email.js';
import { proposeMailboxLabel } from '../actions/propose-mailbox-label.js';
import { handToOwner } from '../conversation/handoff.js';
import { EMAIL_RECEIVED } from '../../awareness/back-office-signals.js';
import { NEW_LEAD } from '../../awareness/new-lead-watcher.js';
import { triageEmailFromPayload } from '../../awareness/email-triage/features.js';
import { decideCategory } from '../../awareness/email-triage/decide-category.js';
import { recordTriage } from '../../awareness/email-triage/triage-store.js';
import { categoryLabel, TRIAGE_CATEGORIES, type TriageCategory } from '../../awareness/email-triage/categories.js';
import { answerQuestion } from '../../knowledge/answer.js';
import { CUSTOMER_AUDIENCE } from '../../knowledge/audience.js';

/** Settings under `playbooks.inbox-triage` in tenant.yaml. */
export const InboxTriageSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** `keyword`: an `AIOS/<Category>` IMAP keyword; `folder`: the mail is moved to the folder `AIOS/<Category>`. */
    label_mode: z.enum(['keyword', 'folder']).default('keyword'),
    /** The business's own addresses besides the mail connection's: their mail is not triaged. */
    own_addresses: z.array(z.string().email()).default([]),
    /** Categories that get a grounded reply draft. */
    reply_to: z.array(z.enum(TRIAGE_CATEGORIES)).default(['customer_request', 'scheduling', 'billing']),
  })
  .strict();

type Loaded =
  | { ok: false; why: string }
  | { ok: true; from: string; fromName: string | null; subject: string; text: string; messageId: string | null; references: string[]; mailbox: string | null; email: ReturnType<typeof triageEmailFromPayload> };

/**
 * What the mail asks: its question sentences (the body's first, else the subject's), else the
 * subject and the start of the body. Retrieval over the whole mail would drown the question in
 * greetings and thanks.
 */
export function questionOf(subject: string, text: string): string {
  const body = text.split(/\n>|\nOn .{5,80} wrote:/)[0] ?? text;
  const asks = (t: string) => (t.replace(/\s+/g, ' ').match(/[^.!?]*\?/g) ?? []).map((q) => q.trim()).filter((q) => q.length > 3);
  const q = asks(body).slice(0, 2);
  if (q.length) return q.join(' ');
  const sq = asks(subject);
  return sq.length ? sq[0]! : `${subject}\n${body.slice(0, 300)}`;
}

const reSubject = (s: string): string => (/^\s*re:/i.test(s) ? s.trim() : `Re: ${s.trim() || 'your message'}`);

/**
 * A new inbound mail (`email_received`) → category (model, else the offline classifier; stored in
 * `email_triage` with its reason) → `AIOS/<Category>` label in the mailbox (`email.label` through
 * the policy and the `mailbox` outbox channel) → by category: `lead` raises `new_lead` for the
 * lead playbook; `reply_to` categories get a reply drafted from customer-facing knowledge, sent
 * threaded (In-Reply-To / References, "Re: …") through `proposeEmail` and the policy, or — when
 * the knowledge cannot answer — handed to the owner; the rest are labelled only. A mail with no
 * text is skipped with the reason. Steps: load, classify, label.*, then lead | answer, reply.* | owner.*.
 */
export const inboxTriage = definePlaybook({
  id: 'inbox-triage',
  version: 1,
  title: 'Sort new email and draft grounded replies',
  trigger: { signal: EMAIL_RECEIVED },
  settings: InboxTriageSettings,
  minutesPerRun: 2,
  async run(ctx, input) {
    const { db, clock } = ctx.deps;
    const tenant = ctx.tenant;
    const d = input.data as { eventId?: string; connectionId?: string | null; conversationId?: string; contactId?: string };
    const loaded = await ctx.step<Loaded>('load', async () => {
      const ev = await db.selectFrom('events').select(['payload']).where('tenant_id', '=', tenant.id).where('id', '=', d.eventId ?? '').executeTakeFirst();
      if (!ev) return { ok: false, why: `event ${d.eventId ?? '(none)'} not found` };
      const p = (typeof ev.payload === 'string' ? JSON.parse(ev.payload) : ev.payload) as Record<string, unknown>;
      const email = triageEmailFromPayload(p);
      if (!email.from) return { ok: false, why: 'the mail has no sender address' };
      if (!email.text.trim()) return { ok: false, why: 'the mail has no text part (nothing to read)' };
      const messageId = typeof p.messageId === 'string' ? p.messageId : null;
      const references = Array.isArray(p.references) ? (p.references as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      return { ok: true, from: email.from, fromName: email.fromName, subject: email.subject, text: email.text, messageId, references, mailbox: typeof p.mailbox === 'string' ? p.mailbox : null, email };
    });
    if (!loaded.ok) return { summary: `skipped: ${loaded.why}`, resolved: true };

    const decided = await ctx.step('classify', async () => {
      const c = await decideCategory(db, ctx.deps.models, tenant.id, loaded.email, ctx.runId);
      const row = await recordTriage(db, { tenantId: tenant.id, eventId: d.eventId!, connectionId: d.connectionId ?? null, messageId: loaded.messageId, from: loaded.from, subject: loaded.subject, category: c.category, reason: c.reason, source: c.source, confidence: c.confidence, runId: ctx.runId });
      return { triageId: row.id, category: row.category as TriageCategory, reason: row.reason, source: row.source, offline: c.offlineReason };
    });
    const parts = [`${decided.category} (${decided.source}: ${decided.reason})`];

    if (d.connectionId && loaded.messageId) {
      const label = await proposeMailboxLabel(ctx, 'label', {
        connectionId: d.connectionId, messageId: loaded.messageId, ...(loaded.mailbox ? { mailbox: loaded.mailbox } : {}), label: categoryLabel(decided.category), mode: ctx.settings.label_mode,
        remove: TRIAGE_CATEGORIES.filter((c) => c !== decided.category).map(categoryLabel), sender: loaded.from,
      });
      parts.push(label.status === 'done' ? `labelled ${categoryLabel(decided.category)}` : `label ${label.status}`);
    } else parts.push('not labelled (no mail connection or Message-ID)');

    if (decided.category === 'lead') {
      const lead = await ctx.raise('lead', {
        kind: NEW_LEAD, subject: loaded.from, dedupKey: `${NEW_LEAD}:email:${d.eventId}`, severity: 'high',
        data: {
          name: loaded.fromName, phone: null, email: loaded.from, message: `${loaded.subject}\n\n${loaded.text}`.slice(0, 4_000), source: 'email', page: null,
          contactId: d.contactId ?? null, contactName: loaded.fromName, newContact: false, receivedAt: input.occurredAt, eventId: d.eventId,
          conversationId: d.conversationId ?? null, messageId: loaded.messageId,
        },
      });
      parts.push(`new lead raised (${lead.runIds.length} run${lead.runIds.length === 1 ? '' : 's'})`);
      return { summary: parts.join('; '), resolved: true };
    }
    if (!ctx.settings.reply_to.includes(decided.category)) return { summary: parts.join('; '), resolved: true };

    const answer = await ctx.step('answer', async () => {
      const a = await answerQuestion(db, tenant.id, questionOf(loaded.subject, loaded.text), { audience: CUSTOMER_AUDIENCE, now: clock.now() });
      return { status: a.status, text: a.text, sources: a.citations.map((c) => `${c.file}${c.headingPath ? ` › ${c.headingPath}` : ''}`) };
    });
    if (answer.status !== 'answered') {
      const h = await handToOwner(ctx, 'owner', { conversationId: d.conversationId ?? '', address: loaded.from, contactId: d.contactId ?? '', text: `${loaded.subject}\n${loaded.text}`.slice(0, 1_000), reason: 'no answer in the knowledge' });
      parts.push(`handed to the owner (${h.code}): the knowledge cannot answer`);
      return { summary: parts.join('; '), resolved: false };
    }
    const greeting = loaded.fromName ? `Hi ${loaded.fromName.split(/\s+/)[0]},` : 'Hello,';
    const signOff = tenant.profile.sign_off ?? tenant.name;
    const sent = await proposeEmail(ctx, 'reply', {
      to: loaded.from, subject: reSubject(loaded.subject), body: `${greeting}\n\n${answer.text}\n\n${signOff}`,
      ...(loaded.messageId ? { inReplyTo: loaded.messageId, references: [...loaded.references, loaded.messageId] } : {}),
      context: `reply to a ${decided.category} email; sources: ${answer.sources.join('; ') || 'none'}`,
      untrusted: [{ label: `the email from ${loaded.from}`, text: `${loaded.subject ?? ''}\n\n${loaded.text}`.slice(0, 2_000) }],
    });
    parts.push(sent.status === 'sent' ? 'reply sent in the thread' : `reply ${sent.status}`);
    return { summary: parts.join('; '), resolved: sent.status === 'sent' };
  },
});
