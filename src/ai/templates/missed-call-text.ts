import { firstName } from '../../core/sanitize-name.js';
import { countSegments, toGsmFriendly } from '../../core/sms-segments.js';

/** What the missed-call template needs to know about the business. */
export interface MissedCallDraftInput {
  businessName: string;
  ownerName?: string;
  tone: 'friendly' | 'professional' | 'warm' | 'brief';
  bookingLink?: string;
  signOff?: string;
  /** Today's opening hours as "08:00–17:00", or null when closed today. */
  hoursToday?: string | null;
  /** Caller's name when known and quotable (from caller ID or the records); cleaned again here, first word used. */
  callerFirstName?: string | null;
}

const OPENERS: Record<MissedCallDraftInput['tone'], (name: string, who: string) => string> = {
  friendly: (name, who) => `Hi${who}, it's ${name} - sorry we missed your call!`,
  warm: (name, who) => `Hi${who}, thanks for calling ${name}, sorry we couldn't pick up.`,
  professional: (name, who) => `Hello${who}, this is ${name}. Sorry we missed your call.`,
  brief: (name, who) => `${name}: sorry we missed your call${who ? `,${who}` : ''}.`,
};

/** The optional parts, in the order they are dropped until the text fits one segment. */
const DROP_ORDER = ['signOff', 'closedToday', 'bookingLink', 'callerName'] as const;
type Optional = (typeof DROP_ORDER)[number];

function compose(i: MissedCallDraftInput, keep: Set<Optional>, plain: boolean): string {
  const name = keep.has('callerName') ? firstName(i.callerFirstName) : null;
  const parts = [OPENERS[i.tone](i.businessName, name ? ` ${name}` : '')];
  parts.push(i.bookingLink && keep.has('bookingLink') ? `How can we help? Reply here or book: ${i.bookingLink}` : 'How can we help? Just reply here.');
  if (i.hoursToday === null && keep.has('closedToday')) parts.push("Closed today, we'll reply next business day.");
  if (i.signOff && keep.has('signOff')) parts.push(i.signOff);
  const text = parts.join(' ');
  return plain ? toGsmFriendly(text) : text;
}

/**
 * The offline (no model) text sent after a missed call: apology with the business name, an
 * invitation to reply, the booking link, "closed today" when it is, and the sign-off. It is made
 * to fit ONE GSM-7 SMS segment (160 characters, billed once): typographic characters in the
 * owner's sign-off or name are replaced by plain ones (unless `plainCharacters` is false), and
 * optional parts are dropped in a fixed order until it fits — sign-off, closed-today note,
 * booking link, caller's name. The business name is never dropped, so a very long name can still
 * need two segments. The caller's name is an outside value: it is cleaned (`sanitizeName`: no
 * links, no digits, ≤ 40 characters) and dropped when nothing is left. Pure and deterministic.
 * @param plainCharacters the owner's `profile.sms.plain_characters`; templates default to true.
 */
export function draftMissedCallText(i: MissedCallDraftInput, plainCharacters = true): string {
  const keep = new Set<Optional>(DROP_ORDER);
  let text = compose(i, keep, plainCharacters);
  for (const part of DROP_ORDER) {
    if (countSegments(text).segments <= 1) break;
    keep.delete(part);
    text = compose(i, keep, plainCharacters);
  }
  return text;
}
