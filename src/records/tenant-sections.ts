import { z } from 'zod';

const PHONE = /^\+[1-9]\d{6,14}$/;
const PHONE_MSG = 'must be a phone number such as +14165550100 or 416-555-0100 (read in the business\'s country)';

/**
 * `booking:` in tenant.yaml — what an appointment is and when it may be offered. Slots come from
 * `profile.hours` (the business's opening hours) minus busy calendar time and holds.
 */
export const BookingSection = z
  .object({
    /** What the customer is booked for, in texts and on the calendar, e.g. "Plumbing visit". */
    service_name: z.string().min(1).max(60).default('Appointment'),
    /** Length of one appointment, minutes. */
    duration_minutes: z.number().int().min(5).max(24 * 60).default(60),
    /** Free time kept before / after each appointment (travel), minutes. */
    buffer_before_minutes: z.number().int().min(0).max(24 * 60).default(0),
    buffer_after_minutes: z.number().int().min(0).max(24 * 60).default(0),
    /** Earliest offer after now, minutes. */
    min_notice_minutes: z.number().int().min(0).max(30 * 24 * 60).default(120),
    /** Distance between candidate starts, minutes (default: the duration). */
    slot_step_minutes: z.number().int().min(5).max(24 * 60).optional(),
    /** How far ahead slots are offered, days. */
    days_ahead: z.number().int().min(1).max(120).default(14),
    /** How long an offered-and-accepted slot is held before the booking is written, minutes. */
    hold_minutes: z.number().int().min(1).max(24 * 60).default(15),
    /** Closed local dates, YYYY-MM-DD. */
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')).default([]),
  })
  .strict();
export type BookingSectionT = z.infer<typeof BookingSection>;

/**
 * `voice:` in tenant.yaml — how AIOS answers the business's phone (Twilio's incoming-call webhook
 * `/hooks/twilio/incoming`).
 * - `answer: ring_first` rings `ring` (default: the owner's phone) for `ring_seconds`, and AIOS
 *   answers when nobody picks up; `always`: AIOS answers every call; `after_hours`: AIOS answers
 *   outside `profile.hours` and rings `ring` inside them; `off`: calls ring through to `ring` only
 *   (a missed call is then texted back as before).
 * - `mode: gather` — turn by turn with `<Gather input="speech">`; `relay` — Twilio
 *   ConversationRelay over a WebSocket (lower latency, needs a public wss:// URL).
 */
export const VoiceSection = z
  .object({
    answer: z.enum(['ring_first', 'always', 'after_hours', 'off']).default('ring_first'),
    ring: z.array(z.string().regex(PHONE, PHONE_MSG)).default([]),
    ring_seconds: z.number().int().min(5).max(60).default(20),
    mode: z.enum(['gather', 'relay']).default('gather'),
    /** Where emergencies, angry callers and "a person please" are transferred (default: owner's phone). */
    transfer_to: z.string().regex(PHONE, PHONE_MSG).optional(),
    /** Speech language of the call, BCP 47 (default: the tenant's locale). */
    language: z.string().min(2).max(12).optional(),
  })
  .strict();
export type VoiceSectionT = z.infer<typeof VoiceSection>;
