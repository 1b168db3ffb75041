import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { newId } from '../../core/ids.js';
import { sanitizeName } from '../../core/sanitize-name.js';
import type { ContactRow } from './rows.js';

interface Target {
  id: string;
  isNew: boolean;
  name: string | null;
  phone: string | null;
  email: string | null;
  /** The phone the database already has (never overwritten: it is the natural key). */
  dbPhone: string | null;
  /** A row of this import gave the name (only then is it written as an `import` name). */
  namedByImport: boolean;
}

/** Counts of one batch: rows that created a contact, rows that matched one (or an earlier row). */
export interface BatchCounts {
  imported: number;
  updated: number;
}

/**
 * Writes one batch of contact rows (at most a few thousand) in one transaction. A row matches an
 * existing contact by phone first, then by email (case-insensitive); rows of the same batch that
 * match each other are merged. Names are cleaned (`sanitizeName`) and stored as verified `import`
 * names (an owner-typed name is kept). Matched contacts get the row's name and email (when given) and a
 * phone when they had none. Deals (when the row names one) are matched by contact + title
 * (case-insensitive), updated (stage, value) or opened. With `dryRun` nothing is written; the
 * counts are what would happen.
 */
export async function writeContactBatch(db: Db, tenantId: string, rows: ContactRow[], opts: { dryRun: boolean; source: string; currency: string }): Promise<BatchCounts> {
  const counts: BatchCounts = { imported: 0, updated: 0 };
  if (rows.length === 0) return counts;
  const run = async (tx: Db) => {
    const phones = [...new Set(rows.flatMap((r) => (r.phone ? [r.phone] : [])))];
    const emails = [...new Set(rows.flatMap((r) => (r.email ? [r.email] : [])))];
    const existing = await tx
      .selectFrom('contacts')
      .select(['id', 'name', 'phone', 'email'])
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([...(phones.length ? [eb('phone', 'in', phones)] : []), ...(emails.length ? [eb(sql<string>`lower(email)`, 'in', emails)] : []), eb.val(false)]))
      .execute();
    const byPhone = new Map<string, Target>();
    const byEmail = new Map<string, Target>();
    const index = (t: Target) => {
      if (t.phone && !byPhone.has(t.phone)) byPhone.set(t.phone, t);
      if (t.email && !byEmail.has(t.email)) byEmail.set(t.email, t);
    };
    for (const e of existing) index({ id: e.id, isNew: false, name: e.name, phone: e.phone, email: e.email?.toLowerCase() ?? null, dbPhone: e.phone, namedByImport: false });
    const touched = new Map<string, Target>();
    const dealsFor: Array<{ contactId: string; deal: NonNullable<ContactRow['deal']> }> = [];
    for (const raw of rows) {
      // Names from a file are outside values: cleaned like any other before they are stored.
      const r = { ...raw, name: sanitizeName(raw.name) };
      let t = (r.phone && byPhone.get(r.phone)) || (r.email && byEmail.get(r.email)) || undefined;
      if (t && t.phone && r.phone && t.phone !== r.phone) t = undefined; // same email, different phone: a different person
      if (t) {
        counts.updated++;
        t.name = r.name ?? t.name;
        t.namedByImport ||= r.name !== null;
        t.email = r.email ?? t.email;
        t.phone = t.phone ?? r.phone;
      } else {
        counts.imported++;
        t = { id: newId('ct'), isNew: true, name: r.name, phone: r.phone, email: r.email, dbPhone: null, namedByImport: r.name !== null };
      }
      index(t);
      touched.set(t.id, t);
      if (r.deal) dealsFor.push({ contactId: t.id, deal: r.deal });
    }
    if (opts.dryRun) return;
    const fresh = [...touched.values()].filter((t) => t.isNew);
    if (fresh.length) {
      await tx
        .insertInto('contacts')
        .values(fresh.map((t) => ({ id: t.id, tenant_id: tenantId, name: t.name, name_source: t.name ? 'import' : null, name_verified: t.name !== null, phone: t.phone, email: t.email, source: opts.source })))
        .onConflict((oc) => oc.columns(['tenant_id', 'phone']).doNothing())
        .execute();
    }
    const old = [...touched.values()].filter((t) => !t.isNew);
    if (old.length) {
      const data = JSON.stringify(old.map((t) => ({ id: t.id, name: t.namedByImport ? t.name : null, email: t.email, phone: t.dbPhone ? null : t.phone })));
      await sql`
        update contacts c set
          name = case when v.name is not null and c.name_source is distinct from 'owner' then v.name else c.name end,
          name_source = case when v.name is not null and c.name_source is distinct from 'owner' then 'import' else c.name_source end,
          name_verified = case when v.name is not null and c.name_source is distinct from 'owner' then true else c.name_verified end,
          email = coalesce(v.email, c.email), phone = coalesce(c.phone, v.phone), updated_at = now()
        from jsonb_to_recordset(${data}::jsonb) as v(id text, name text, email text, phone text)
        where c.id = v.id and c.tenant_id = ${tenantId}`.execute(tx);
    }
    if (dealsFor.length) await writeDeals(tx, tenantId, dealsFor, opts);
  };
  if (opts.dryRun) await run(db);
  else await db.transaction().execute(run);
  return counts;
}

async function writeDeals(tx: Db, tenantId: string, items: Array<{ contactId: string; deal: NonNullable<ContactRow['deal']> }>, opts: { source: string; currency: string }): Promise<void> {
  const ids = [...new Set(items.map((i) => i.contactId))];
  const have = await tx.selectFrom('deals').select(['id', 'contact_id', 'title']).where('tenant_id', '=', tenantId).where('contact_id', 'in', ids).execute();
  const key = (contactId: string, title: string) => `${contactId}\u0000${title.toLowerCase()}`;
  const found = new Map(have.map((d) => [key(d.contact_id, d.title), d.id]));
  const inserts = new Map<string, { id: string; contactId: string; deal: NonNullable<ContactRow['deal']> }>();
  const updates = new Map<string, NonNullable<ContactRow['deal']>>();
  for (const { contactId, deal } of items) {
    const k = key(contactId, deal.title);
    const id = found.get(k);
    if (id) updates.set(id, deal);
    else inserts.set(k, { id: inserts.get(k)?.id ?? newId('deal'), contactId, deal });
  }
  if (inserts.size) {
    await tx
      .insertInto('deals')
      .values([...inserts.values()].map((i) => ({ id: i.id, tenant_id: tenantId, contact_id: i.contactId, title: i.deal.title, stage: i.deal.stage, value_cents: i.deal.valueCents, currency: i.deal.currency ?? opts.currency, source: opts.source })))
      .execute();
  }
  if (updates.size) {
    const data = JSON.stringify([...updates].map(([id, d]) => ({ id, stage: d.stage, value_cents: d.valueCents, currency: d.currency })));
    await sql`
      update deals d set stage = v.stage, value_cents = coalesce(v.value_cents, d.value_cents), currency = coalesce(v.currency, d.currency), last_activity_at = now()
      from jsonb_to_recordset(${data}::jsonb) as v(id text, stage text, value_cents bigint, currency text)
      where d.id = v.id and d.tenant_id = ${tenantId}`.execute(tx);
  }
}
