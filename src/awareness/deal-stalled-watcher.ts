import { sql } from 'kysely';
import type { Signal } from '../store/schema.js';
import { DEAL_STALLED, type DealStalledData } from './back-office-signals.js';
import { STAGE_DONE, STAGE_LOST } from '../records/deals.js';
import { storeSignal, liveSignals, resolveSignals, knownDedupKeys } from './signal-store.js';
import type { Watcher, WatchContext } from './watcher.js';

/** Stages in which a deal is closed (never stalled). */
export const CLOSED_STAGES = ['won', STAGE_LOST, STAGE_DONE] as const;

interface DealActivity { id: string; contact_id: string | null; stage: string; last_at: Date }

/**
 * Every deal of the tenant with its last activity: the deal's own `last_activity_at` (set on
 * creation, stage changes and notes) or the latest message, either way, in any conversation of
 * the deal's contact. `open`: only deals not in a closed stage.
 */
async function dealActivity(c: WatchContext, ids?: string[]): Promise<DealActivity[]> {
  const r = await sql<DealActivity>`
    select d.id, d.contact_id, d.stage,
      greatest(d.last_activity_at, (select max(m.created_at) from conversations cv join messages m on m.tenant_id = cv.tenant_id and m.conversation_id = cv.id where cv.tenant_id = d.tenant_id and cv.contact_id = d.contact_id and m.created_at <= ${c.now})) as last_at
    from deals d
    where d.tenant_id = ${c.tenant.id} ${ids ? sql`and d.id in (${sql.join(ids)})` : sql`and d.stage not in (${sql.join([...CLOSED_STAGES])})`}`.execute(c.db);
  return r.rows;
}

/**
 * `deal_stalled`: open deals (stage not won / lost / done) with no activity — a message of the
 * deal's contact either way, a stage change or a note (`deals.last_activity_at`) — for at least
 * `watchers.deal_stalled_days` days. Keyed by deal, stage and last activity, so each quiet spell
 * fires once. Resolves on new activity, a stage change or a closed deal.
 */
export const dealStalledWatcher: Watcher = {
  id: 'deal-stalled',
  kinds: [DEAL_STALLED],
  async raise(c: WatchContext): Promise<Signal[]> {
    const limitMs = c.settings.deal_stalled_days * 86_400_000;
    const out: Signal[] = [];
    const known = await knownDedupKeys(c.db, c.tenant.id, this.kinds);
    for (const d of await dealActivity(c)) {
      const last = new Date(d.last_at);
      const quietMs = c.now.getTime() - last.getTime();
      if (quietMs < limitMs) continue;
      const data: DealStalledData = { dealId: d.id, contactId: d.contact_id, stage: d.stage, lastActivityAt: last.toISOString(), days: Math.floor(quietMs / 86_400_000) };
      const dedupKey = `${DEAL_STALLED}:${d.id}:${d.stage}:${data.lastActivityAt}`;
      if (known.has(dedupKey)) continue;
      const s = await storeSignal(c.db, { tenantId: c.tenant.id, kind: DEAL_STALLED, subject: d.id, dedupKey, data }, c.now);
      if (s) out.push(s);
    }
    return out;
  },
  async resolve(c: WatchContext): Promise<number> {
    const live = await liveSignals(c.db, c.tenant.id, this.kinds);
    if (live.length === 0) return 0;
    const now = new Map((await dealActivity(c, live.map((s) => (s.data as unknown as DealStalledData).dealId))).map((d) => [d.id, d]));
    const ids = live
      .filter((s) => {
        const was = s.data as unknown as DealStalledData;
        const d = now.get(was.dealId);
        return !d || d.stage !== was.stage || (CLOSED_STAGES as readonly string[]).includes(d.stage) || new Date(d.last_at).getTime() > Date.parse(was.lastActivityAt);
      })
      .map((s) => s.id);
    return resolveSignals(c.db, c.tenant.id, ids, c.now, 'the deal moved (activity, stage change or closed)');
  },
};
