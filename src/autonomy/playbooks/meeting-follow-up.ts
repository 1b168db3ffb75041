import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeEmail, type EmailOutcome } from '../actions/propose-email.js';
import { MEETING_ENDED, type MeetingSignalData } from '../../awareness/back-office-signals.js';
import { firstName, sanitizeName } from '../../core/sanitize-name.js';
import { audit } from '../../records/audit.js';
import { draftRecap, meetingText, withoutForeignLines, type MeetingRecap } from '../back-office/meeting-recap.js';
import { outboundAllowList } from '../actions/outbound-allowed.js';
import { voiceLines } from '../back-office/voice-lines.js';
import '../../connection/calendar/tables.js';

/** Settings under `playbooks.meeting-follow-up` in tenant.yaml. */
export const MeetingFollowUpSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** At most this many attendees are mailed (one approval each); the rest are skipped with a reason. */
    max_attendees: z.number().int().min(1).max(50).default(10),
  })
  .strict();

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

type Gathered =
  | { ok: true; attendees: Array<{ email: string; name: string | null }>; skipped: string[]; text: string; summary: string | null }
  | { ok: false; why: string };

/**
 * After a meeting with a customer ends (`meeting_ended`): a recap and next steps from the event's
 * notes or an attached plain-text transcript, emailed to the attendees — **always** after the
 * owner's approval (one per attendee), to the attendees named by the event (the signal's data),
 * never to an address from the notes or a model. Steps: `gather` (attendees, notes + `ATTACH` text
 * from `raw_ics`), `draft` (model summary or offline sentence extraction), `send.<n>`.
 * No attendees, or no notes or transcript: skipped with the reason.
 */
export const meetingFollowUp = definePlaybook({
  id: 'meeting-follow-up',
  version: 1,
  title: 'Follow up after a meeting',
  trigger: { signal: MEETING_ENDED },
  settings: MeetingFollowUpSettings,
  minutesPerRun: 10,
  async run(ctx, input) {
    const { db, clock } = ctx.deps;
    const tenant = ctx.tenant;
    const data = input.data as Partial<MeetingSignalData>;
    const g = await ctx.step<Gathered>('gather', async () => {
      const seen = new Set<string>();
      const attendees: Array<{ email: string; name: string | null }> = [];
      const skipped: string[] = [];
      for (const a of Array.isArray(data.attendees) ? data.attendees : []) {
        const email = typeof a?.email === 'string' ? a.email.trim().replace(/^mailto:/i, '').toLowerCase() : '';
        if (!EMAIL.test(email)) {
          skipped.push(`attendee "${String(a?.email ?? '').slice(0, 60)}" is not an email address`);
          continue;
        }
        if (seen.has(email)) continue;
        seen.add(email);
        if (attendees.length >= ctx.settings.max_attendees) skipped.push(`${email}: over max_attendees (${ctx.settings.max_attendees})`);
        else attendees.push({ email, name: sanitizeName(typeof a.name === 'string' ? a.name : null) });
      }
      if (attendees.length === 0) return { ok: false, why: `the event has no attendees to follow up with${skipped.length ? ` (${skipped.join('; ')})` : ''}` };
      const ev = typeof data.calendarEventId === 'string'
        ? await db.selectFrom('calendar_events').select(['description', 'raw_ics', 'summary']).where('tenant_id', '=', tenant.id).where('id', '=', data.calendarEventId).executeTakeFirst()
        : undefined;
      const text = meetingText(typeof data.notes === 'string' ? data.notes : ev?.description ?? null, ev?.raw_ics ?? null);
      if (!text.trim()) return { ok: false, why: 'the event has no notes or transcript to recap' };
      return { ok: true, attendees, skipped, text, summary: typeof data.summary === 'string' ? data.summary : ev?.summary ?? null };
    });
    if (!g.ok) {
      await ctx.step('skip', () => audit(db, tenant.id, 'playbook', 'meeting-follow-up.skipped', ctx.runId, { calendarEventId: data.calendarEventId ?? null, reason: g.why }).then(() => true));
      return { summary: `no follow-up: ${g.why}`, resolved: true };
    }
    const draft = await ctx.step<MeetingRecap & { signOff: string }>('draft', async () => {
      const r = withoutForeignLines(await draftRecap(ctx.deps.models, { tenantId: tenant.id, runId: ctx.runId, business: tenant.name, summary: g.summary, text: g.text, now: clock.now() }), outboundAllowList(tenant, ctx.deps.publicUrl()));
      return { ...r, signOff: (await voiceLines(db, tenant, null)).signOff };
    });
    const about = g.summary ? ` about ${g.summary.replace(/\s+/g, ' ').slice(0, 80)}` : '';
    const outcomes: Array<{ to: string; out: EmailOutcome }> = [];
    for (const [i, a] of g.attendees.entries()) {
      const name = firstName(a.name);
      const body = [
        name ? `Hi ${name},` : 'Hi,', '', `Thank you for meeting with ${tenant.name}${about}. Here is a short recap.`, '',
        ...(draft.recap.length ? ['What we discussed:', ...draft.recap.map((s) => `- ${s}`), ''] : []),
        ...(draft.nextSteps.length ? ['Next steps:', ...draft.nextSteps.map((s) => `- ${s}`), ''] : []),
        'If anything here is not right, just reply to this email.', '', draft.signOff,
      ].join('\n');
      const out = await proposeEmail(ctx, `send.${i}`, {
        to: a.email, subject: `Recap${about ? `: ${g.summary!.replace(/\s+/g, ' ').slice(0, 80)}` : ` of our meeting with ${tenant.name}`}`, body, approval: 'always',
        untrusted: [{ label: 'meeting notes (from the calendar event)', text: g.text.slice(0, 2_000) }],
        context: `follow-up after the meeting${about} (recap drafted by ${draft.drafter} from the event notes)`,
      });
      outcomes.push({ to: a.email, out });
    }
    const sent = outcomes.filter((o) => o.out.status === 'sent').map((o) => o.to);
    const other = outcomes.filter((o) => o.out.status !== 'sent').map((o) => `${o.to}: ${o.out.status}`);
    return { summary: `follow-up ${sent.length ? `sent to ${sent.join(', ')}` : 'not sent'}${other.length ? `; ${other.join('; ')}` : ''}${g.skipped.length ? `; skipped ${g.skipped.join('; ')}` : ''}`, resolved: true };
  },
});
