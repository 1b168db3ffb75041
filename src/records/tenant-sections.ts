import { z } from 'zod';
import type Holidays from 'date-holidays';
import { lazyModule } from '../core/lazy-module.js';

/** date-holidays, loaded when a tenant.yaml names public holidays (its tables are large). */
const loadHolidays = lazyModule<typeof Holidays>('date-holidays');

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

/**
 * `watchers:` in tenant.yaml — when AIOS raises a back-office signal (src/awareness/*-watcher.ts).
 * Business hours count only inside `profile.hours`, on days that are not `holidays:`.
 */
export const WatchersSection = z
  .object({
    /** Business hours a customer's email may wait for an answer before `email_unanswered`. */
    email_unanswered_hours: z.number().min(0.25).max(24 * 30).default(4),
    /** Days a deal may go without activity in one stage before `deal_stalled`. */
    deal_stalled_days: z.number().int().min(1).max(365).default(7),
    /** Days before an unpaid invoice's due date that `invoice_due_soon` is raised. */
    invoice_due_soon_days: z.number().int().min(0).max(90).default(3),
    /** Hours after a meeting ends that `meeting_no_follow_up` is raised when nothing was sent. */
    meeting_follow_up_hours: z.number().min(1).max(24 * 30).default(24),
    /** Days before a knowledge file's `valid_until` that `knowledge_expiring` is raised. */
    knowledge_expiring_days: z.number().int().min(1).max(365).default(14),
    /**
     * The business's own mail addresses (`owner@plumbing.example`) or domains (`@plumbing.example`):
     * meeting attendees matching them are not customers. Added to these: the domain of
     * `profile.website` and the addresses of the tenant's mail connections.
     */
    own_addresses: z.array(z.string().regex(/^([^@\s]+@[^@\s]+\.[^@\s]+|@[^@\s]+\.[^@\s]+)$/, 'must be an address such as owner@example.com or a domain such as @example.com')).default([]),
  })
  .strict();
export type WatchersSectionT = z.infer<typeof WatchersSection>;

/** Whether `CC` or `CC-RR` names a public-holiday calendar of the `date-holidays` package. */
export function knownPublicCalendar(code: string): boolean {
  const [country, region] = code.split('-');
  const Calendar = loadHolidays();
  const hd = new Calendar();
  if (!country || !hd.getCountries()[country]) return false;
  return region === undefined || Boolean(hd.getStates(country)?.[region]);
}

const ISO_DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');

/**
 * `holidays:` in tenant.yaml — days the business is closed, for business-time arithmetic (watcher
 * thresholds in business hours skip them). Each item is a local date `YYYY-MM-DD`, or
 * `{ public: CA }` / `{ public: CA-ON }` for a country's (and region's) public holidays
 * (computed offline by the `date-holidays` package, every year).
 */
export const HolidaysSection = z
  .array(
    z.union([
      ISO_DATE,
      z.object({ public: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be an ISO 3166 country such as CA, or country-region such as CA-ON').refine(knownPublicCalendar, 'is not a country (and region) the date-holidays package knows; write the dates instead') }).strict(),
    ]),
  )
  .default([]);
export type HolidaysSectionT = z.infer<typeof HolidaysSection>;

/** Days of the week as written in tenant.yaml, Sunday first (index = `Date#getUTCDay` numbering). */
export const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/**
 * `brief:` in tenant.yaml — the owner's daily brief and weekly report (src/leverage/brief/).
 * Both are made at `daily_at`, local time of the business (`time_zone`); the weekly one on
 * `weekly_on`. `email: false` keeps them on the Today page only. `to` defaults to `owner.email`.
 */
export const BriefSection = z
  .object({
    /** Local time of the daily brief, HH:MM (24-hour). */
    daily_at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM (24-hour), such as "07:30"').default('07:30'),
    /** Day of the weekly report. */
    weekly_on: z.enum(WEEKDAY_NAMES, { message: `must be a day of the week: ${WEEKDAY_NAMES.join(', ')}` }).default('monday'),
    /** Whether the brief and the report are emailed (always shown on the Today page). */
    email: z.boolean().default(true),
    /** Where they are emailed (default: `owner.email`). */
    to: z.string().email('must be an email address such as dana@example.com').optional(),
  })
  .strict();
export type BriefSectionT = z.infer<typeof BriefSection>;
/**
 * `roi:` in tenant.yaml — the owner's numbers for the ledger's value and ROI
 * (`src/leverage/roi-settings.ts`; each absent one is a stated default, marked assumed):
 * - `minutes`: minutes one action saves, per ledger category (`missed_call_text_back: 4`);
 *   the keys are the categories of `src/records/action-minutes.ts`;
 * - `hourly_value`: what an hour of the owner's time is worth, in currency units per hour;
 * - `running_cost_cents_per_month`: what running AIOS costs a month (server, phone number), cents.
 */
export const RoiSection = z
  .object({
    minutes: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, 'must be a ledger category such as missed_call_text_back'), z.number().min(0, 'must be 0 or more minutes').max(480, 'must be at most 480 minutes (8 hours) per action')).default({}),
    hourly_value: z.number().min(0).max(100_000).optional(),
    running_cost_cents_per_month: z.number().int('must be whole cents').min(0).max(100_000_000).optional(),
  })
  .strict();
export type RoiSectionT = z.infer<typeof RoiSection>;
