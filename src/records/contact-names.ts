import { sql, type RawBuilder } from 'kysely';
import type { Contact } from '../store/schema.js';
import { sanitizeName } from '../core/sanitize-name.js';

/**
 * Where a contact's name came from, weakest first: `visitor` (anonymous website widget), `email`
 * (a sender's display name), `caller_id` (the carrier's caller name), `form` (the business's own
 * signed website form), `import` (a CSV/CRM import the owner ran), `owner` (typed by the owner).
 */
export type NameSource = 'owner' | 'import' | 'form' | 'caller_id' | 'email' | 'visitor';

const RANK: Record<NameSource, number> = { visitor: 0, email: 1, caller_id: 1, form: 2, import: 3, owner: 4 };

/** Sources a person vouched for: their names are `name_verified`. */
export function isVerifiedSource(s: NameSource): boolean {
  return s === 'owner' || s === 'import';
}

/** The name source implied by a contact's `source` (`widget` → visitor, `web_form` → form…); unknown → visitor. */
export function nameSourceFor(contactSource: string | null | undefined): NameSource {
  if (!contactSource) return 'visitor';
  if (contactSource === 'import' || contactSource.startsWith('csv:')) return 'import';
  if (contactSource === 'web_form') return 'form';
  if (contactSource === 'missed_call') return 'caller_id';
  if (contactSource === 'email') return 'email';
  return 'visitor';
}

/**
 * Whether a name from `incoming` may replace the contact's current name. Rules: an empty name is
 * always filled; a visitor's name never replaces one; a verified name is replaced only by the owner
 * (or by another import, unless the owner set it); an unverified name by a stronger source.
 */
export function mayReplaceName(current: Pick<Contact, 'name' | 'name_source' | 'name_verified'>, incoming: NameSource): boolean {
  if (!current.name) return true;
  if (incoming === 'visitor') return false;
  if (current.name_verified) return incoming === 'owner' || (incoming === 'import' && current.name_source !== 'owner');
  return RANK[incoming] > RANK[(current.name_source as NameSource | null) ?? 'visitor'];
}

const rankSql = (col: RawBuilder<unknown>) =>
  sql`(case ${col} when 'owner' then 4 when 'import' then 3 when 'form' then 2 when 'caller_id' then 1 when 'email' then 1 else 0 end)`;

/**
 * {@link mayReplaceName} as SQL for `insert … on conflict do update` on `contacts` (compares
 * `contacts.*` with `excluded.*`), so concurrent upserts decide atomically.
 */
export function replaceNameSql(): RawBuilder<boolean> {
  const cur = sql.ref('contacts.name_source');
  const inc = sql.ref('excluded.name_source');
  return sql<boolean>`(excluded.name is not null and (contacts.name is null or (${inc} <> 'visitor' and case
    when contacts.name_verified then ${inc} = 'owner' or (${inc} = 'import' and ${cur} is distinct from 'owner')
    else ${rankSql(inc)} > ${rankSql(cur)} end)))`;
}

/** Columns for a new contact's name: cleaned with {@link sanitizeName}, with its source and verification. */
export function nameColumns(raw: string | null | undefined, source: NameSource): { name: string | null; name_source: NameSource | null; name_verified: boolean } {
  const name = sanitizeName(raw);
  return name ? { name, name_source: source, name_verified: isVerifiedSource(source) } : { name: null, name_source: null, name_verified: false };
}

/**
 * The name AIOS may quote in a message to this contact (e.g. "Hi Priya"), or null: an unverified
 * name from an anonymous visitor is never quoted, and any name is cleaned again.
 */
export function quotableName(c: Pick<Contact, 'name' | 'name_source' | 'name_verified'> | null | undefined): string | null {
  if (!c?.name) return null;
  if (!c.name_verified && (c.name_source === 'visitor' || c.name_source === null)) return null;
  return sanitizeName(c.name);
}
