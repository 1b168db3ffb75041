/**
 * THE BOOKING CONTRACT (issue 9). Other parts of AIOS — the lead-response conversation, the phone
 * receptionist, the inbound-message router — book through these functions only. The booking
 * helper replaces the stubs below with the real implementation (in sibling modules, re-exported
 * here) and keeps these signatures; a change to a signature is announced in its commit message.
 *
 * Vocabulary: an *offer* is up to three bookable slots shown to one customer; a *hold* is a slot
 * reserved in PostgreSQL for a few minutes (exclusion constraint: no two live holds or bookings of
 * one business overlap); a *booking* is a hold the customer accepted, which the `appointment`
 * playbook writes to the calendar, confirms, reminds and follows up.
 */

/** One slot shown to a customer. */
export interface OfferedSlot {
  /** 1-based position in the offer ("reply 2"). */
  n: number;
  /** ISO 8601 instants. */
  start: string;
  end: string;
  /** How the business's local time reads it, in the tenant's locale, e.g. "Thu Dec 3, 10:00". */
  label: string;
}

/** Up to `count` slots offered at one moment. */
export interface SlotOffer {
  slots: OfferedSlot[];
  /** The business's IANA zone the labels are in. */
  timeZone: string;
  /** ISO 8601: when the offer was made (relative words in a reply are read from here). */
  offeredAt: string;
}

/** What a customer's reply to an offer means. Never a guess: anything ambiguous is `unclear`. */
export type SlotReply =
  | { kind: 'pick'; slot: OfferedSlot }
  /** A specific time not among the offered ones ("Friday at 10am"); book it if it is free. */
  | { kind: 'time'; start: string }
  /** A window ("tomorrow after 3", "next week"): offer again inside it. */
  | { kind: 'window'; from: string; to: string }
  /** "none of those", "no": offer other times. */
  | { kind: 'none' }
  | { kind: 'cancel' }
  | { kind: 'reschedule' }
  /** Could not be read safely: ask one clarifying question. */
  | { kind: 'unclear' };

/** Options of {@link offerSlots}. */
export interface OfferRequest {
  now: Date;
  /** Only slots starting at or after / before these instants (default: now + notice … now + days_ahead). */
  from?: Date;
  to?: Date;
  /** Number of slots (default 3); spread over different days/parts of days when possible. */
  count?: number;
  /** Slots to leave out (e.g. the ones the customer just declined), ISO starts. */
  exclude?: string[];
}

/**
 * Up to `count` bookable slots of the business: its hours (`profile.hours`), `booking:` rules,
 * minus busy time of its calendars (recurring events expanded) and live holds/bookings.
 * An empty `slots` means nothing is free in the window.
 */
export { offerSlots } from './offer-slots.js';

/**
 * Reads a reply to an offer ("2", "the Thursday one", "tomorrow after 3", "Friday at 10am",
 * "none of those", French too) with chrono-node, relative to `offer.offeredAt` in the business's zone.
 */
export { readSlotReply } from './slot-reply.js';

/** The result of {@link holdSlot}. */
export type HoldResult =
  | { ok: true; holdId: string; start: string; end: string; expiresAt: string }
  /** `taken`: someone else holds or booked it meanwhile; `unavailable`: outside hours, busy on the calendar, or past. */
  | { ok: false; reason: 'taken' | 'unavailable'; alternatives: SlotOffer };

/** Who a hold is for and where it came from. */
export interface HoldRequest {
  contactId: string;
  start: string;
  end?: string;
  /** `sms` | `voice` | `web` | `email` | `owner` — the customer's channel. */
  channel: string;
  /** The customer's address on that channel (E.164 or email). */
  address: string;
  /** Idempotency: the same key returns the same hold (e.g. `<runId>:hold:1`). */
  key: string;
  now: Date;
}

/**
 * Reserves a slot for `hold_minutes`. Atomic under concurrency and across processes (PostgreSQL
 * exclusion constraint): of two requests for one slot, exactly one gets `ok: true`.
 */
export { holdSlot } from './holds.js';

/** Releases a hold that will not be booked (caller hung up, customer changed mind). Idempotent. */
export { releaseHold } from './holds.js';

/** What the `appointment` playbook needs to write and confirm a booking. */
export interface BookingRequest {
  holdId: string;
  contactId: string;
  channel: string;
  address: string;
  /** Customer's name (sanitised), email for the ICS confirmation, what they need, where. */
  name?: string | null;
  email?: string | null;
  need?: string | null;
  location?: string | null;
  /** The deal to move `new lead → booked → done` (opened when absent). */
  dealId?: string | null;
}

/** Signal kind raised to start the `appointment` playbook for an accepted hold. */
export const APPOINTMENT_REQUESTED = 'appointment_requested';

/** DBOS topic of messages to one booking's appointment run: `{ type: 'cancel' | 'reschedule' | 'done', text? }`. */
export function bookingTopic(bookingId: string): string {
  return `booking:${bookingId}`;
}

/**
 * How a run books an accepted hold: `ctx.raise(stepId, { kind: APPOINTMENT_REQUESTED,
 * subject: address, dedupKey: \`appointment:${holdId}\`, data: request })`. The `appointment` run
 * then owns the booking: calendar write, confirmation, reminders, cancel/reschedule, job done.
 */
export type RaiseAppointment = BookingRequest;

/** A customer's next booking, for routing their messages (cancel / reschedule / question). */
export interface BookingSummary {
  bookingId: string;
  /** The appointment run that owns it (send it {@link bookingTopic} messages). */
  runId: string;
  start: string;
  end: string;
  status: 'pending' | 'confirmed' | 'cancelled' | 'done';
}

/** The contact's next booking that has not ended and is not cancelled, or null. */
export { upcomingBookingFor } from './holds.js';

/** Signal kind raised by the appointment run when the booked job is over (event ended, or the owner marked it done). */
export const JOB_DONE = 'job_done';
