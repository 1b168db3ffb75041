/**
 * Schema of a tenant's autonomy policy file (`policy.yaml`).
 *
 * The policy decides, without consulting any AI model, whether an external action AIOS proposes
 * runs by itself (`auto`), waits for the owner (`approve`) or is refused (`never`). Every object is
 * strict: an unknown key is an error, so a typo such as `quiet_hour:` cannot silently disable a rule.
 *
 * Error messages attached here are the plain-English "problem" part of a {@link ConfigError};
 * `load-policy.ts` adds the offending value (`, got "25:00"`).
 */
import { z } from 'zod';

/** The three possible decisions, from most to least permissive. */
export const DECISIONS = ['auto', 'approve', 'never'] as const;

/** What happens to a message that would exceed the daily per-recipient limit. */
export const OVER_LIMIT_DECISIONS = ['approve', 'never'] as const;

/** Matches a 24-hour wall-clock time `HH:MM`, 00:00 to 23:59. */
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Matches an action kind: lowercase dotted words such as `sms.send` or `payment.refund`. */
export const ACTION_KIND = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

const decision = z.enum(DECISIONS, { error: `must be one of ${DECISIONS.join(', ')}` });

const time = z
  .string({ error: 'must be a time written as "HH:MM" (24-hour)' })
  .regex(HH_MM, { error: 'must be HH:MM (24-hour)' });

const actionKind = z
  .string({ error: 'must be an action kind such as sms.send' })
  .regex(ACTION_KIND, { error: 'is not a valid action kind (use lowercase dotted names such as sms.send)' });

const wholeCents = z
  .number({ error: 'must be a whole number of cents' })
  .int({ error: 'must be a whole number of cents' })
  .min(0, { error: 'must be 0 or more cents' });

/** `quiet_hours:` — a local time window during which covered actions are held, not sent. */
export const QuietHoursSchema = z
  .strictObject({
    /** Local time quiet hours begin, `HH:MM`, inclusive. */
    start: time,
    /** Local time quiet hours end, `HH:MM`, exclusive. When start > end the window wraps midnight. */
    end: time,
    /** Action kinds held during quiet hours. Absent: every action whose effect is `send`. */
    kinds: z.array(actionKind, { error: 'must be a list of action kinds, e.g. [sms.send]' }).optional(),
  }, { error: 'must be a mapping with start and end, e.g. start: "21:00" and end: "08:00"' })
  .refine((q) => q.start !== q.end, {
    path: ['end'],
    error: 'must differ from quiet_hours.start (remove quiet_hours to turn them off)',
  });

/** `money:` — thresholds, in cents, for actions whose effect is `money`. */
export const MoneySchema = z
  .strictObject({
    /** Amounts strictly above this many cents need approval. */
    approve_over_cents: wholeCents,
    /** Amounts strictly above this many cents are refused. */
    never_over_cents: wholeCents.optional(),
  }, { error: 'must be a mapping with approve_over_cents (and optionally never_over_cents)' })
  .refine((m) => m.never_over_cents === undefined || m.never_over_cents >= m.approve_over_cents, {
    path: ['never_over_cents'],
    error: 'must be at least money.approve_over_cents',
  });

/** The whole policy file. Defaults are applied for absent optional keys. */
export const PolicySchema = z.strictObject({
  /** File format version; only 1 exists. */
  version: z.literal(1, { error: 'must be 1' }),
  /** Decision for action kinds not listed under `actions`. */
  default: decision.default('approve'),
  /** Decision per action kind, e.g. `sms.send: auto`. */
  actions: z.record(actionKind, decision, { error: 'must be a mapping of action kind to decision' }).default({}),
  /** Decision for a first contact: never sent a message by this business and not a customer in the records. */
  first_contact: decision.default('approve'),
  /** Optional quiet hours in the business's time zone. */
  quiet_hours: QuietHoursSchema.optional(),
  /** Optional cap on messages per recipient per local calendar day. */
  max_per_recipient_per_day: z
    .number({ error: 'must be a whole number greater than 0' })
    .int({ error: 'must be a whole number greater than 0' })
    .positive({ error: 'must be a whole number greater than 0' })
    .optional(),
  /** Decision once the daily limit is reached. */
  over_limit: z
    .enum(OVER_LIMIT_DECISIONS, { error: `must be one of ${OVER_LIMIT_DECISIONS.join(', ')}` })
    .default('never'),
  /** Optional money thresholds. */
  money: MoneySchema.optional(),
  /** Optional: proposals whose confidence (0..1) is below this need approval. */
  min_confidence: z
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, { error: 'must be a number from 0 to 1' })
    .max(1, { error: 'must be a number from 0 to 1' })
    .optional(),
});

/** A validated policy with defaults applied. */
export type Policy = z.output<typeof PolicySchema>;

/** One of `auto`, `approve`, `never`. */
export type PolicyDecisionValue = (typeof DECISIONS)[number];

/** Allowed keys of each strict object, by dotted path, for "unknown key" messages. */
export const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(PolicySchema.shape),
  quiet_hours: ['start', 'end', 'kinds'],
  money: ['approve_over_cents', 'never_over_cents'],
};
