import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';
import { objectKeysAt } from '../core/schema-keys.js';

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

/** `tenant.yaml`: who the business is. The file is the source of truth; start-up copies it to the database. */
export const TenantFileSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'must be lowercase letters, digits and dashes'),
    name: z.string().min(1),
    time_zone: z.string().refine(validTimeZone, 'must be an IANA time zone such as America/Toronto'),
    locale: z.string().default('en-CA'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CAD').default('CAD'),
    /** The business's Twilio number (E.164); inbound webhooks are routed to the tenant by it. */
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14165550100'),
    owner: z.object({ name: z.string().min(1), phone: z.string().regex(/^\+[1-9]\d{6,14}$/).optional() }).strict(),
    profile: z
      .object({
        trade: z.string().optional(),
        booking_link: z.string().url().optional(),
        /** The business's website: links to it are the business's own (outbound guard). */
        website: z.string().url().optional(),
        /** Other numbers of the business (E.164) that texts may give out, besides `phone` and `owner.phone`. */
        other_phones: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14165550100')).optional(),
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
      })
      .strict()
      .default({ tone: 'friendly' }),
    /** Per-playbook settings keyed by playbook id; each playbook validates its own section at start. */
    playbooks: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type TenantFile = z.infer<typeof TenantFileSchema>;

/**
 * Converts a zod error into a ConfigError naming the file and the dotted field. An unknown key is
 * reported first (a misspelled required key also shows up as "required"), with a "did you mean"
 * taken from `schema`'s keys at that level (e.g. `boking_link` → `booking_link`).
 * @param schema the schema that was parsed; without it unknown keys get no suggestion.
 */
export function zodToConfigError(file: string, error: z.ZodError, schema?: z.ZodType): ConfigError {
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const allowed = schema ? objectKeysAt(schema, issue.path) : undefined;
    const hint = allowed ? `${didYouMean(key, allowed)} (allowed keys: ${allowed.join(', ')})` : '';
    return new ConfigError(file, field ? `${field}.${key}` : key, `unknown key(s): ${issue.keys.join(', ')}${hint}`);
  }
  return new ConfigError(file, field, issue.message);
}

/** Parses and validates a tenant.yaml text. */
export function parseTenantFile(text: string, file: string): TenantFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, '', `is not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const res = TenantFileSchema.safeParse(raw);
  if (!res.success) throw zodToConfigError(file, res.error, TenantFileSchema);
  return res.data;
}

/** Reads and validates `tenant.yaml`. */
export function loadTenantFile(path: string): TenantFile {
  return parseTenantFile(readFileSync(path, 'utf8'), path);
}
