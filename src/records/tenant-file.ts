import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { closestMatch, didYouMean } from '../core/did-you-mean.js';
import { objectKeysAt } from '../core/schema-keys.js';
import { countryOfLocale, FALLBACK_COUNTRY, normalisePhone } from '../core/phone.js';
import { BookingSection, VoiceSection, WatchersSection, HolidaysSection, BriefSection, RoiSection } from './tenant-sections.js';

const PHONE_FIELDS = 'must be a phone number such as +14165550100 or 416-555-0100 (read in the business\'s country)';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');
const day = z.union([z.tuple([hhmm, hhmm]), z.literal('closed')]);

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A BCP 47 language tag Intl can format with (`en-CA`, `fr-CA`; not `en_CA`). */
function validLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** `tenant.yaml`: who the business is. The file is the source of truth; start-up copies it to the database. */
export const TenantFileSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be lowercase letters, digits and dashes'),
    name: z.string().min(1),
    time_zone: z.string().refine(validTimeZone, 'must be an IANA time zone such as America/Toronto'),
    locale: z.string().refine(validLocale, 'must be a BCP 47 locale such as en-CA, en-US or fr-CA (a dash, not an underscore)').default('en-CA'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CAD').default('CAD'),
    /** ISO 3166-1 alpha-2 country; numbers written without + are read in it. Default: the region of `locale`, else CA. */
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as CA or US').optional(),
    /** The business's Twilio number (E.164); inbound webhooks are routed to the tenant by it. */
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, PHONE_FIELDS),
    owner: z.object({ name: z.string().min(1), phone: z.string().regex(/^\+[1-9]\d{6,14}$/, PHONE_FIELDS).optional(), /** The owner's dashboard login (default `owner@<slug>.local`). */ email: z.string().email('must be an email address such as dana@example.com').optional() }).strict(),
    profile: z
      .object({
        trade: z.string().optional(),
        booking_link: z.string().url().optional(),
        /** The business's website: links to it are the business's own (outbound guard). */
        website: z.string().url().optional(),
        /** Other numbers of the business (E.164) that texts may give out, besides `phone` and `owner.phone`. */
        other_phones: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/, PHONE_FIELDS)).optional(),
        tone: z.enum(['friendly', 'professional', 'warm', 'brief']).default('friendly'),
        sign_off: z.string().optional(),
        service_area: z.string().optional(),
        hours: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }).strict().optional(),
        /**
         * Texts: `plain_characters` lets AIOS replace typographic characters (curly quotes, dashes,
         * ellipsis, non-breaking spaces) by plain GSM ones before sending, so a text is billed as
         * GSM-7 segments (160 characters) instead of UCS-2 (70). Unset: AIOS's own texts
         * (templates, model drafts) are made plain, texts others wrote (API, MCP, owner edits) are
         * sent as written. true: every text. false: none.
         */
        sms: z.object({ plain_characters: z.boolean().optional() }).strict().optional(),
        /** Where satisfied customers leave a review (Google, Yelp…): sent after a job; links to it are the business's own. */
        review_link: z.string().url().optional(),
        /** What an average job is worth, in the business's currency units (e.g. 350): the ledger values bookings with it. */
        average_job_value: z.number().min(0).max(10_000_000).optional(),
      })
      .strict()
      .default({ tone: 'friendly' }),
    /** Appointments: length, buffers, notice, how far ahead, holds (see `tenant-sections.ts`). */
    booking: BookingSection.default(BookingSection.parse({})),
    /** How AIOS answers the phone (see `tenant-sections.ts`). */
    voice: VoiceSection.default(VoiceSection.parse({})),
    /** When back-office signals are raised (see `tenant-sections.ts`). */
    watchers: WatchersSection.default(WatchersSection.parse({})),
    /** Closed days: dates and public-holiday calendars (see `tenant-sections.ts`). */
    holidays: HolidaysSection,
    /** The daily brief and weekly report: when, and whether by email (see `tenant-sections.ts`). */
    brief: BriefSection.default(BriefSection.parse({})),
    /** The owner's numbers for the ledger's value and ROI (see `tenant-sections.ts`). */
    roi: RoiSection.default(RoiSection.parse({})),
    /** Per-playbook settings keyed by playbook id; each playbook validates its own section at start. */
    playbooks: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type TenantFile = z.infer<typeof TenantFileSchema>;

/**
 * Every problem of a zod error, each with its dotted field. An unknown key gets a "did you mean"
 * taken from `schema`'s keys at that level (e.g. `boking_link` → `booking_link`), and the
 * "required" problem of the key it was probably meant as is left out (`tiem_zone` is reported
 * as an unknown key, not as a missing `time_zone`).
 * @param schema the schema that was parsed; without it unknown keys get no suggestion.
 */
export function zodProblems(error: z.ZodError, schema?: z.ZodType): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const meant = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const field = issue.path.map(String).join('.');
    const allowed = schema ? objectKeysAt(schema, issue.path) : undefined;
    for (const key of issue.keys) {
      const guess = allowed ? closestMatch(key, allowed) : undefined;
      if (guess) meant.add(field ? `${field}.${guess}` : guess);
      const hint = allowed ? `${didYouMean(key, allowed)} (allowed keys: ${allowed.join(', ')})` : '';
      problems.push({ field: field ? `${field}.${key}` : key, problem: `unknown key "${key}"${hint}` });
    }
  }
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const field = issue.path.map(String).join('.');
    if (meant.has(field)) continue;
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    problems.push({ field, problem: missing ? 'is required' : issue.message });
  }
  return problems;
}

/**
 * Converts a zod error into one ConfigError naming the file and every problem (see {@link zodProblems});
 * unknown keys come first.
 */
export function zodToConfigError(file: string, error: z.ZodError, schema?: z.ZodType): ConfigError {
  return ConfigError.of(file, zodProblems(error, schema));
}

/** Result of checking a tenant.yaml text: the parsed file when valid, and every problem found. */
export interface TenantFileCheck {
  file: TenantFile | null;
  /** The YAML as parsed, before validation (undefined when it is not YAML). */
  raw: unknown;
  problems: ConfigProblem[];
}

/**
 * Rewrites the phone numbers of a parsed tenant.yaml to E.164 (see {@link normalisePhone}), in the
 * country given by `country`, else the region of `locale`, else {@link FALLBACK_COUNTRY}.
 * Numbers that cannot be read are left as written, for the schema to report.
 */
function normaliseTenantPhones(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = { ...(raw as Record<string, unknown>) };
  const country = tenantCountry(r);
  const fix = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? normalisePhone(String(v), country) ?? v : v);
  if ('phone' in r) r.phone = fix(r.phone);
  if (r.owner && typeof r.owner === 'object' && !Array.isArray(r.owner)) {
    const o = { ...(r.owner as Record<string, unknown>) };
    if ('phone' in o) o.phone = fix(o.phone);
    r.owner = o;
  }
  if (r.profile && typeof r.profile === 'object' && !Array.isArray(r.profile)) {
    const pr = { ...(r.profile as Record<string, unknown>) };
    if (Array.isArray(pr.other_phones)) pr.other_phones = pr.other_phones.map(fix);
    r.profile = pr;
  }
  if (r.voice && typeof r.voice === 'object' && !Array.isArray(r.voice)) {
    const v = { ...(r.voice as Record<string, unknown>) };
    if (Array.isArray(v.ring)) v.ring = v.ring.map(fix);
    if ('transfer_to' in v) v.transfer_to = fix(v.transfer_to);
    r.voice = v;
  }
  return r;
}

/**
 * The business's country: `country` when it is a two-letter code, else the region of `locale`,
 * else {@link FALLBACK_COUNTRY}.
 * @returns an ISO 3166-1 alpha-2 code.
 */
export function tenantCountry(file: { country?: unknown; locale?: unknown }): string {
  if (typeof file.country === 'string' && /^[A-Z]{2}$/.test(file.country)) return file.country;
  return countryOfLocale(typeof file.locale === 'string' ? file.locale : undefined) ?? FALLBACK_COUNTRY;
}

/** Checks a tenant.yaml text and returns every problem at once (not only the first). */
export function checkTenantFile(text: string, file: string): TenantFileCheck {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    return { file: null, raw: undefined, problems: [{ field: '', problem: `is not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` }] };
  }
  const res = TenantFileSchema.safeParse(normaliseTenantPhones(raw));
  if (res.success) return { file: res.data, raw, problems: [] };
  return { file: null, raw, problems: zodProblems(res.error, TenantFileSchema) };
}

/**
 * Parses and validates a tenant.yaml text; phone numbers come back in E.164.
 * @throws ConfigError listing every problem of the file.
 */
export function parseTenantFile(text: string, file: string): TenantFile {
  const check = checkTenantFile(text, file);
  if (!check.file) throw ConfigError.of(file, check.problems);
  return check.file;
}

/** Reads and validates `tenant.yaml`. */
export function loadTenantFile(path: string): TenantFile {
  return parseTenantFile(readFileSync(path, 'utf8'), path);
}
