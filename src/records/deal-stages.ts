import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { ConflictError, InputError, NotFoundError } from '../core/errors.js';
import { audit } from './audit.js';
import { STAGE_BOOKED, STAGE_DONE, STAGE_LOST, STAGE_NEW_LEAD } from './deals.js';

/**
 * The pipeline's stages in order when the business has not configured its own: the stages AIOS's
 * playbooks move deals through (`new lead`, `booked`, `done`, `lost`) plus the usual sales steps.
 */
export const DEFAULT_STAGES: readonly string[] = [STAGE_NEW_LEAD, 'contacted', 'quoted', STAGE_BOOKED, STAGE_DONE, 'won', STAGE_LOST];

/** Stages in which a deal is over (it no longer needs the owner). */
export const CLOSED_STAGES: readonly string[] = [STAGE_DONE, 'won', STAGE_LOST];

/**
 * The business's pipeline, in order: {@link DEFAULT_STAGES}, then any other stage its deals are in
 * (imported from a CRM, say), alphabetically. There is no per-business pipeline setting yet; when
 * one is added it replaces the defaults here.
 */
export async function pipelineStages(db: Db, tenantId: string): Promise<string[]> {
  const used = await db.selectFrom('deals').select('stage').distinct().where('tenant_id', '=', tenantId).execute();
  const extra = used.map((r) => r.stage).filter((s) => !DEFAULT_STAGES.includes(s)).sort();
  return [...DEFAULT_STAGES, ...extra];
}

/** What {@link moveDealStage} did. */
export interface StageMove {
  dealId: string;
  from: string;
  to: string;
  /** False when the deal was already in that stage (nothing changed, nothing audited). */
  moved: boolean;
  /** When the deal entered `to` (ISO 8601). */
  stageChangedAt: string;
}

/**
 * A person moves a deal of the tenant to another stage of its pipeline: the stage, its activity
 * time and `stage_changed_at` are set to `now`, and the move is audited as `deal.stage_moved`.
 * Moving a deal to the stage it is in changes nothing.
 * @throws InputError (400) for a stage outside the pipeline, listing the valid ones;
 *   NotFoundError for a deal id not of this tenant.
 */
export async function moveDealStage(db: Db, input: { tenantId: string; dealId: string; stage: string; actor: string; now: Date }): Promise<StageMove> {
  const stage = input.stage.trim();
  const stages = await pipelineStages(db, input.tenantId);
  if (!stages.includes(stage)) {
    throw new InputError(`"${stage}" is not a stage of this pipeline`, { fix: `Use one of: ${stages.join(', ')}.`, code: 'unknown_stage' });
  }
  return db.transaction().execute(async (tx) => {
    const deal = await tx.selectFrom('deals').select(['id', 'stage', 'stage_changed_at']).where('tenant_id', '=', input.tenantId).where('id', '=', input.dealId).forUpdate().executeTakeFirst();
    if (!deal) throw new NotFoundError('deal', input.dealId);
    if (deal.stage === stage) return { dealId: deal.id, from: deal.stage, to: stage, moved: false, stageChangedAt: new Date(deal.stage_changed_at).toISOString() };
    const r = await tx
      .updateTable('deals')
      .set({ stage, stage_changed_at: input.now, last_activity_at: input.now })
      .where('tenant_id', '=', input.tenantId).where('id', '=', deal.id).where('stage', '=', deal.stage)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new ConflictError(`deal ${deal.id} changed while it was being moved`, 'Reload the pipeline and move it again.');
    await audit(tx, input.tenantId, input.actor, 'deal.stage_moved', deal.id, { from: deal.stage, to: stage });
    return { dealId: deal.id, from: deal.stage, to: stage, moved: true, stageChangedAt: input.now.toISOString() };
  });
}

/** One deal as the pipeline shows it. */
export interface PipelineDeal {
  id: string;
  title: string;
  stage: string;
  valueCents: number | null;
  currency: string;
  contactId: string;
  contactName: string | null;
  source: string | null;
  stageChangedAt: string;
  lastActivityAt: string;
  /** Whole days since the deal entered its stage (at `now`). */
  daysInStage: number;
}

/** One stage of the pipeline with its deals (most recently moved first) and their total value in cents. */
export interface PipelineStage {
  stage: string;
  closed: boolean;
  count: number;
  valueCents: number;
  deals: PipelineDeal[];
}

/**
 * The tenant's deals grouped by stage in pipeline order (every stage listed, empty ones too). At
 * most `perStage` deals are listed per stage; `count` and `valueCents` cover all of them.
 */
export async function dealPipeline(db: Db, tenantId: string, now: Date, perStage = 50): Promise<PipelineStage[]> {
  const stages = await pipelineStages(db, tenantId);
  const totals = await db
    .selectFrom('deals')
    .select(['stage', sql<number>`count(*)::int`.as('n'), sql<string>`coalesce(sum(value_cents), 0)`.as('value')])
    .where('tenant_id', '=', tenantId).groupBy('stage').execute();
  // Only the newest `perStage` deals of each stage leave the database (the window runs on the index).
  const ranked = db
    .selectFrom('deals')
    .select(['id', 'title', 'stage', 'value_cents', 'currency', 'contact_id', 'source', 'stage_changed_at', 'last_activity_at'])
    .select(sql<number>`row_number() over (partition by stage order by stage_changed_at desc)`.as('pos'))
    .where('tenant_id', '=', tenantId)
    .as('d');
  const rows = await db
    .selectFrom(ranked)
    .leftJoin('contacts', (j) => j.onRef('contacts.id', '=', 'd.contact_id').on('contacts.tenant_id', '=', tenantId))
    .select(['d.id', 'd.title', 'd.stage', 'd.value_cents', 'd.currency', 'd.contact_id', 'd.source', 'd.stage_changed_at', 'd.last_activity_at', 'd.pos', 'contacts.name as contact_name', 'contacts.phone as contact_phone', 'contacts.email as contact_email'])
    .where('d.pos', '<=', perStage)
    .execute();
  const byStage = new Map<string, PipelineDeal[]>();
  for (const r of rows) {
    const list = byStage.get(r.stage) ?? [];
    const changed = new Date(r.stage_changed_at);
    list.push({
      id: r.id, title: r.title, stage: r.stage, valueCents: r.value_cents === null ? null : Number(r.value_cents), currency: r.currency,
      contactId: r.contact_id, contactName: r.contact_name ?? r.contact_phone ?? r.contact_email ?? null, source: r.source,
      stageChangedAt: changed.toISOString(), lastActivityAt: new Date(r.last_activity_at).toISOString(),
      daysInStage: Math.max(0, Math.floor((now.getTime() - changed.getTime()) / 86_400_000)),
    });
    byStage.set(r.stage, list);
  }
  const total = new Map(totals.map((t) => [t.stage, t]));
  return stages.map((stage) => {
    const deals = (byStage.get(stage) ?? []).sort((a, b) => b.stageChangedAt.localeCompare(a.stageChangedAt));
    return { stage, closed: CLOSED_STAGES.includes(stage), count: total.get(stage)?.n ?? 0, valueCents: Number(total.get(stage)?.value ?? 0), deals };
  });
}
