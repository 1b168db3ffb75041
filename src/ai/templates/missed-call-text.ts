import { firstName } from '../../core/sanitize-name.js';

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
  friendly: (name, who) => `Hi${who}, it's ${name} — sorry we missed your call!`,
  warm: (name, who) => `Hi${who}, thanks for calling ${name}, and sorry we couldn't pick up.`,
  professional: (name, who) => `Hello${who}, this is ${name}. We're sorry we missed your call.`,
  brief: (name, who) => `${name}: sorry we missed your call${who ? `,${who.trim()}` : ''}.`,
};

/**
 * The offline (no model) text sent after a missed call: apology, how to reach a person, the
 * booking link, a question that invites a reply, and the sign-off. Stays within 2 SMS segments
 * (≤ 306 GSM characters) for ordinary business names. The caller's name is an outside value: it
 * is cleaned (`sanitizeName`: no links, no digits, ≤ 40 characters) and dropped when nothing is left.
 * Pure and deterministic.
 */
export function draftMissedCallText(i: MissedCallDraftInput): string {
  const name = firstName(i.callerFirstName);
  const who = name ? ` ${name}` : '';
  const parts = [OPENERS[i.tone](i.businessName, who)];
  parts.push('What can we help you with? Reply here and we\'ll get right back to you.');
  if (i.bookingLink) parts.push(`Or book a time: ${i.bookingLink}`);
  if (i.hoursToday === null) parts.push("We're closed today and will reply first thing next business day.");
  if (i.signOff) parts.push(i.signOff);
  return parts.join(' ');
}
