import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { tenantToday } from './dates.js';
import { IngestError } from './front-matter.js';
import { parsePriceCell } from './money.js';
import { priceWithUnit, type FactDraft } from './price-table.js';
import type { FactType, KnowledgeFact } from './types.js';

const TYPE_OF_KEY: Record<string, FactType> = {
  service_area: 'service_area',
  service_areas: 'service_area',
  areas: 'service_area',
  hours: 'hours',
  opening_hours: 'hours',
  booking_link: 'booking_link',
  booking_url: 'booking_link',
  booking: 'booking_link',
  payment_terms: 'payment_terms',
  payment: 'payment_terms',
  phone: 'phone',
  emergency_phone: 'phone',
  email: 'email',
};

/** Flattens a YAML value into one readable line. */
function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(show).join(', ');
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${show(x)}`).join('; ');
  return String(v);
}

function priceFact(service: string, raw: unknown, unit: unknown, currency: unknown, validUntil: unknown, defaultCurrency: string): FactDraft {
  const parsed = typeof raw === 'number' ? { cents: Math.round(raw * 100), currency: null, unit: null } : parsePriceCell(String(raw ?? ''));
  if (!parsed) throw new IngestError(`invalid front matter: facts.prices: "${service}" has no readable price ("${show(raw)}")`);
  const cur = String(currency ?? parsed.currency ?? defaultCurrency).toUpperCase();
  const u = unit !== undefined && unit !== null ? String(unit) : parsed.unit;
  return {
    type: 'price',
    key: service.toLowerCase(),
    value: `${service}: ${priceWithUnit(parsed.cents, cur, u ?? null)}`,
    service,
    amountCents: parsed.cents,
    currency: cur,
    unit: u ?? null,
    validUntil: typeof validUntil === 'string' ? validUntil : null,
  };
}

function pricesFrom(v: unknown, defaultCurrency: string): FactDraft[] {
  if (Array.isArray(v)) {
    return v.map((row, i) => {
      if (!row || typeof row !== 'object') throw new IngestError(`invalid front matter: facts.prices[${i}] must be a map with service and price`);
      const r = row as Record<string, unknown>;
      const service = String(r.service ?? r.name ?? '');
      if (!service) throw new IngestError(`invalid front matter: facts.prices[${i}] has no service`);
      return priceFact(service, r.price ?? r.amount ?? r.cost, r.unit, r.currency, r.valid_until, defaultCurrency);
    });
  }
  if (v && typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([service, price]) => priceFact(service, price, undefined, undefined, undefined, defaultCurrency));
  throw new IngestError('invalid front matter: facts.prices must be a list or a map of service: price');
}

/**
 * Turns a front matter `facts:` map into fact drafts. Known keys: `prices` (list of
 * {service, price, unit?, currency?, valid_until?} or a map service → price), `service_area`,
 * `hours`, `booking_link`, `payment_terms`, `phone`, `email`; any other key becomes an `other` fact.
 * Lists and maps give one fact per entry.
 */
export function factsFromFrontMatter(facts: Record<string, unknown>, defaultCurrency: string): FactDraft[] {
  const out: FactDraft[] = [];
  for (const [name, v] of Object.entries(facts)) {
    if (name === 'prices' || name === 'price') {
      out.push(...pricesFrom(v, defaultCurrency));
      continue;
    }
    const type = TYPE_OF_KEY[name] ?? 'other';
    if (Array.isArray(v)) for (const item of v) out.push({ type, key: type === 'other' ? name : show(item).toLowerCase(), value: show(item) });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) out.push({ type, key: type === 'other' ? `${name}.${k}` : k, value: show(x) });
    else out.push({ type, key: name, value: show(v) });
  }
  return out;
}

/**
 * Structured facts of a tenant that hold on `now`'s date in the tenant's time zone (facts whose
 * `valid_until` has passed are left out).
 * @param now instant to evaluate validity at (default: the current time)
 * @param opts.type only facts of this type
 */
export async function getFacts(db: Db, tenantId: string, now: Date = new Date(), opts: { type?: FactType } = {}): Promise<KnowledgeFact[]> {
  const today = await tenantToday(db, tenantId, now);
  let q = db
    .selectFrom('knowledge_facts')
    .select(['id', 'type', 'key', 'value', 'service', 'amount_cents', 'currency', 'unit', 'file', sql<string | null>`valid_until::text`.as('valid_until')])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', today)]));
  if (opts.type) q = q.where('type', '=', opts.type);
  const rows = await q.orderBy('file').orderBy('type').orderBy('key').execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type as FactType,
    key: r.key,
    value: r.value,
    service: r.service,
    amountCents: r.amount_cents === null ? null : Number(r.amount_cents),
    currency: r.currency,
    unit: r.unit,
    file: r.file,
    validUntil: r.valid_until,
  }));
}
