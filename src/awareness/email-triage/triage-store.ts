import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { newId } from '../../core/ids.js';
import { AiosError } from '../../core/errors.js';
import type { TriageClassifier } from './offline-classifier.js';
import { SEED_EXAMPLES } from './seed-examples.js';
import type { TriageEmail } from './features.js';
import { isTriageCategory, TRIAGE_CATEGORIES, type TriageCategory } from './categories.js';
import type { EmailTriageTable, TriageSource } from './tables.js';
import './tables.js';

/** A stored triage decision. */
export type TriageRow = Omit<EmailTriageTable, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date };

/** Writes (or, for a re-run of the same step, keeps) the decision for one mail. Unique per event. */
export async function recordTriage(db: Db, t: { tenantId: string; eventId: string; connectionId: string | null; messageId: string | null; from: string; subject: string | null; category: TriageCategory; reason: string; source: TriageSource; confidence: number; runId: string | null }): Promise<TriageRow> {
  const row = await db
    .insertInto('email_triage')
    .values({
      id: newId('tri'), tenant_id: t.tenantId, event_id: t.eventId, connection_id: t.connectionId, message_id: t.messageId, from_address: t.from.toLowerCase(),
      subject: t.subject, category: t.category, reason: t.reason.slice(0, 500), source: t.source, confidence: Math.max(0, Math.min(1, t.confidence)), run_id: t.runId,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'event_id']).doUpdateSet({ updated_at: sql`email_triage.updated_at` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return row as TriageRow;
}

/** Triaged mail of a tenant, newest first, optionally of one category. `limit` 1..500. */
export async function listTriaged(db: Db, tenantId: string, opts: { category?: TriageCategory; limit?: number } = {}): Promise<TriageRow[]> {
  let q = db.selectFrom('email_triage').selectAll().where('tenant_id', '=', tenantId);
  if (opts.category) q = q.where('category', '=', opts.category);
  return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(Math.max(1, Math.min(500, opts.limit ?? 50))).execute()) as TriageRow[];
}

/** The owner's corrections, newest first (the model prompt's examples, the classifier's training). */
export async function recentCorrections(db: Db, tenantId: string, limit = 10): Promise<Array<{ email: TriageEmail; category: TriageCategory; from_category: string }>> {
  const rows = await db.selectFrom('triage_corrections').select(['features', 'to_category', 'from_category']).where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ email: (typeof r.features === 'string' ? JSON.parse(r.features) : r.features) as TriageEmail, category: r.to_category, from_category: r.from_category }));
}

/** Thrown for a relabel of a mail that is not triaged in this tenant, or to an unknown category. */
export class RelabelError extends AiosError {}

/**
 * Relabels a triaged mail (the owner's correction): the row becomes `source = owner`, confidence 1,
 * and a `triage_corrections` row keeps the mail's features as a training example. The same
 * category again is a no-op (returns `changed: false`). `email` reads the mail's triage view (from
 * its event). Run it in a transaction (the row is locked FOR UPDATE).
 */
export async function relabelTriage(tx: Db, tenantId: string, triageId: string, category: string, email: (eventId: string) => Promise<TriageEmail>, decidedBy: string): Promise<{ row: TriageRow; changed: boolean; previous: TriageCategory }> {
  if (!isTriageCategory(category)) throw new RelabelError('invalid_category', `"${category}" is not a triage category`, { fix: `Use one of: ${TRIAGE_CATEGORIES.join(', ')}.` });
  {
    const cur = await tx.selectFrom('email_triage').selectAll().where('tenant_id', '=', tenantId).where('id', '=', triageId).forUpdate().executeTakeFirst();
    if (!cur) throw new RelabelError('not_found', `no triaged email ${triageId}`, { fix: 'List them with `aios emails` (GET /api/v1/emails).' });
    const previous = cur.category;
    if (previous === category && cur.source === 'owner') return { row: cur as TriageRow, changed: false, previous };
    await tx.insertInto('triage_corrections').values({ id: newId('trc'), tenant_id: tenantId, triage_id: triageId, from_category: previous, to_category: category, features: JSON.stringify(await email(cur.event_id)), decided_by: decidedBy }).execute();
    const row = await tx.updateTable('email_triage').set({ category, source: 'owner', confidence: 1, reason: `relabelled by the owner (was ${previous})`, updated_at: sql`now()` }).where('id', '=', triageId).returningAll().executeTakeFirstOrThrow();
    return { row: row as TriageRow, changed: true, previous };
  }
}

/**
 * One offline classifier per tenant, built from the seed set plus every stored correction, and
 * rebuilt when the tenant's correction count changed (another process relabelled, or a relabel
 * here). Building is a few milliseconds for the seed set plus hundreds of corrections (see
 * bench/backoffice/triage.ts).
 */
export class TriageModels {
  readonly #cache = new Map<string, { corrections: number; last: { at: string; id: string } | null; model: TriageClassifier }>();

  /**
   * The tenant's classifier, up to date with its corrections: built from the seed set and every
   * correction the first time; after that, corrections newer than the last one it learnt are
   * folded in (one relabel does not rebuild the model); a count that does not add up (a
   * correction older than the last one seen) rebuilds it.
   */
  async forTenant(db: Db, tenantId: string): Promise<TriageClassifier> {
    const { n } = await db.selectFrom('triage_corrections').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    const count = Number(n);
    const hit = this.#cache.get(tenantId);
    if (hit && hit.corrections === count) return hit.model;
    // The timestamp is kept as PostgreSQL's text (microseconds), not a JS Date (milliseconds).
    const cols = ['id', 'features', 'to_category', sql<string>`created_at::text`.as('at')] as const;
    let q = db.selectFrom('triage_corrections').select(cols).where('tenant_id', '=', tenantId);
    if (hit?.last) {
      const last = hit.last;
      q = q.where(sql<boolean>`(created_at, id) > (${last.at}::timestamptz, ${last.id})`);
    }
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    const incremental = hit && hit.corrections + rows.length === count;
    // The classifier (wink) loads with the first mail to triage, not at start.
    const model = incremental ? hit.model : new (await import('./offline-classifier.js')).TriageClassifier();
    if (!incremental) for (const [e, c] of SEED_EXAMPLES) model.learn(e, c);
    const all = incremental || !hit ? rows : await db.selectFrom('triage_corrections').select(cols).where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
    for (const r of all) model.correct((typeof r.features === 'string' ? JSON.parse(r.features) : r.features) as TriageEmail, r.to_category);
    const tail = all[all.length - 1];
    this.#cache.set(tenantId, { corrections: count, last: tail ? { at: tail.at, id: tail.id } : hit?.last ?? null, model });
    return model;
  }
}

/** The process's triage models (shared by the playbook and the relabel route). */
export const triageModels = new TriageModels();
