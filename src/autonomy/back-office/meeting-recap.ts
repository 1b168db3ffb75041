import { z } from 'zod';
import type * as Chrono from 'chrono-node';
import { lazyModule } from '../../core/lazy-module.js';
import type { ModelClient } from '../../ai/model-client.js';
import { withOfflineFallback } from '../../ai/offline.js';
import { inspectOutbound, type OutboundAllowList } from '../../core/outbound-guard.js';

/** chrono-node, loaded at the first recap (about 20 MiB an idle process does not need). */
const loadChrono = lazyModule<typeof Chrono>('chrono-node');

/** A meeting's recap and next steps, one short sentence per entry. */
export interface MeetingRecap {
  recap: string[];
  nextSteps: string[];
  drafter: 'model' | 'offline';
  note: string | null;
}

/** Longest text read from an event's notes and attachments (characters). */
export const MAX_NOTES_CHARS = 20_000;

/**
 * The text of an event's notes plus any plain-text transcript attached inline to it (`ATTACH` with
 * `ENCODING=BASE64` and a `text/*` `FMTTYPE`, or a `data:text/…` URI). Attachments by URL are not
 * fetched (no outside I/O). Unfolds iCalendar lines first.
 */
export function meetingText(notes: string | null, rawIcs: string | null): string {
  const parts = [notes?.trim() ?? ''];
  if (rawIcs) {
    const lines = rawIcs.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
    for (const line of lines) {
      const m = /^ATTACH((?:;[^:]*)?):(.*)$/i.exec(line);
      if (!m) continue;
      const params = m[1] ?? '';
      const value = m[2] ?? '';
      const fmt = /FMTTYPE=([^;:]+)/i.exec(params)?.[1]?.toLowerCase() ?? '';
      let text: string | null = null;
      if (/ENCODING=BASE64/i.test(params) && (fmt.startsWith('text/') || fmt === '')) text = Buffer.from(value, 'base64').toString('utf8');
      else {
        const d = /^data:(text\/[a-z+.-]+)(;base64)?,(.*)$/i.exec(value);
        if (d) text = d[2] ? Buffer.from(d[3]!, 'base64').toString('utf8') : decodeURIComponent(d[3]!);
      }
      if (text && !/[\u0000-\u0008\u000e-\u001f]/.test(text)) parts.push(text.trim());
    }
  }
  return parts.filter(Boolean).join('\n\n').slice(0, MAX_NOTES_CHARS);
}

const ACTION = /\b(will|shall|next|todo|to-do|to do|action items?|follow[- ]?up|deadline|due|send|schedule|book|confirm|call back|we'll|i'll|you'll|they'll|need to|needs to|has to|have to|must)\b/i;

/** A sentence names a date when chrono reads a day, weekday or month in it (not a bare duration like "15 years"). */
function namesDate(s: string, now: Date): boolean {
  return loadChrono().parse(s, now, { forwardDate: true }).some((r) => r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('month'));
}

/** One sentence as a list entry: speaker labels and bullets off, whitespace folded, at most 240 characters. */
function entry(s: string): string {
  const t = s.replace(/^[\s*•\-–\d.)]+/, '').replace(/^\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*/, '').replace(/\s+/g, ' ').trim();
  return t.length > 240 ? `${t.slice(0, 239).trimEnd()}…` : t;
}

/**
 * Offline recap: the notes split into sentences and lines; action items are those with "will",
 * "next", "todo", "follow up", "send", "schedule"… or a date ("Friday", "Dec 12"); the first
 * other sentences (at most 6) are the recap. At most 8 next steps.
 */
export function extractRecap(text: string, now: Date): MeetingRecap {
  const all = text.split(/\r?\n+|(?<=[.!?])\s+(?=[A-Z0-9"“])/).map(entry).filter((s) => s.length >= 4 && /[a-z]/i.test(s));
  // The notes come from outside (whoever wrote the invite): a line with an address, a link or a
  // phone number is not quoted to the customer, whoever put it there.
  const sentences = all.filter((s) => !UNSAFE_LINE.test(s));
  const nextSteps: string[] = [];
  const recap: string[] = [];
  for (const s of sentences) {
    const isAction = ACTION.test(s) || namesDate(s, now);
    if (isAction && nextSteps.length < 8) nextSteps.push(s);
    else if (!isAction && recap.length < 6) recap.push(s);
  }
  const dropped = all.length - sentences.length;
  return { recap, nextSteps, drafter: 'offline', note: dropped ? `dropped ${dropped} line(s) of the notes with an address, a link or a phone number` : null };
}

/** A line that names an email address or a link (phone numbers and disguised links: see {@link withoutForeignLines}). */
const UNSAFE_LINE = /[^\s@]+@[^\s@]+\.[a-z]{2,}|https?:\/\/|www\./i;

/**
 * The recap without lines in which the outbound guard finds a link or phone number other than the
 * business's own (in any disguise it knows): the notes are outside text, and the customer is told
 * whom to contact by the business, not by whoever wrote the invite.
 */
export function withoutForeignLines(r: MeetingRecap, allowed: OutboundAllowList): MeetingRecap {
  const ok = (x: string) => { const f = inspectOutbound(x, allowed); return f.foreignLinks.length === 0 && f.foreignNumbers.length === 0; };
  const recap = r.recap.filter(ok);
  const nextSteps = r.nextSteps.filter(ok);
  const dropped = r.recap.length + r.nextSteps.length - recap.length - nextSteps.length;
  return { ...r, recap, nextSteps, note: dropped ? [r.note, `dropped ${dropped} line(s) with a foreign link or number`].filter(Boolean).join('; ') : r.note };
}

const ModelRecap = z.object({
  recap: z.array(z.string().min(1).max(300)).max(8),
  nextSteps: z.array(z.string().min(1).max(300)).max(8),
});

/**
 * The recap and next steps: with a model, a summary of the notes (passed as untrusted data; the
 * output is checked by zod); offline or on any model failure, {@link extractRecap}.
 */
export async function draftRecap(models: ModelClient, req: { tenantId: string; runId: string; business: string; summary: string | null; text: string; now: Date }): Promise<MeetingRecap> {
  const r = await withOfflineFallback(models.spec ? async () => {
    const res = await models.generateStructured({
      tenantId: req.tenantId, runId: req.runId, purpose: 'meeting_recap', schema: ModelRecap, name: 'recap', maxOutputTokens: 800,
      system: `You write short meeting recaps for ${req.business}, a small business, to send to the customer after a meeting.`,
      instructions: 'From the meeting notes or transcript, write "recap" (what was discussed, at most 6 short sentences) and "nextSteps" (who does what and when, at most 8). Use only what the notes say; no prices, links or phone numbers.',
      untrusted: [{ label: 'meeting_notes', text: `${req.summary ? `Meeting: ${req.summary}\n` : ''}${req.text}` }],
    });
    return res.object;
  } : null, () => null);
  if (r.offline || !r.value) {
    const off = extractRecap(req.text, req.now);
    return { ...off, note: [r.offline ? `offline path (${r.reason})` : null, off.note].filter(Boolean).join('; ') || null };
  }
  // A model line with an address or a link is dropped: what the customer is told to contact comes from the business, not the model.
  const safe = (xs: string[]) => xs.map(entry).filter((x) => !UNSAFE_LINE.test(x));
  const recap = safe(r.value.recap);
  const nextSteps = safe(r.value.nextSteps);
  const dropped = r.value.recap.length + r.value.nextSteps.length - recap.length - nextSteps.length;
  return { recap, nextSteps, drafter: 'model', note: dropped ? `dropped ${dropped} model line(s) with an address or a link` : null };
}
