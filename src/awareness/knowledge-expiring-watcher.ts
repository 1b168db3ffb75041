import { sql } from 'kysely';
import type { Signal } from '../store/schema.js';
import { KNOWLEDGE_EXPIRING, type KnowledgeExpiringData } from './back-office-signals.js';
import { storeSignal, liveSignals, resolveSignals, localDate, daysBetweenDates } from './signal-store.js';
import type { Watcher, WatchContext } from './watcher.js';

/** Every (file, valid_until) of the tenant's indexed knowledge: documents and the facts (price rows) in them. */
async function validUntils(c: WatchContext): Promise<Array<{ file: string; valid_until: string }>> {
  const r = await sql<{ file: string; valid_until: string }>`
    select path as file, valid_until::text as valid_until from knowledge_documents where tenant_id = ${c.tenant.id} and status = 'indexed' and valid_until is not null
    union
    select file, valid_until::text from knowledge_facts where tenant_id = ${c.tenant.id} and valid_until is not null`.execute(c.db);
  return r.rows;
}

/**
 * `knowledge_expiring`: a knowledge file (or a price row in it) whose `valid_until` is today or
 * within `watchers.knowledge_expiring_days` days (business's local date). Once past, it is
 * `knowledge_expired`'s (src/knowledge/expiry.ts). Keyed by file and date: a new date raises anew.
 * Resolves when the file no longer states that date (updated or removed).
 */
export const knowledgeExpiringWatcher: Watcher = {
  id: 'knowledge-expiring',
  kinds: [KNOWLEDGE_EXPIRING],
  async raise(c: WatchContext): Promise<Signal[]> {
    const today = localDate(c.now, c.tenant.timeZone);
    const out: Signal[] = [];
    for (const r of await validUntils(c)) {
      const daysLeft = daysBetweenDates(today, r.valid_until);
      if (daysLeft < 0 || daysLeft > c.settings.knowledge_expiring_days) continue;
      const data: KnowledgeExpiringData = { file: r.file, validUntil: r.valid_until, daysLeft };
      const s = await storeSignal(c.db, { tenantId: c.tenant.id, kind: KNOWLEDGE_EXPIRING, subject: r.file, dedupKey: `${KNOWLEDGE_EXPIRING}:${r.file}:${r.valid_until}`, data }, c.now);
      if (s) out.push(s);
    }
    return out;
  },
  async resolve(c: WatchContext): Promise<number> {
    const live = await liveSignals(c.db, c.tenant.id, this.kinds);
    if (live.length === 0) return 0;
    const current = new Set((await validUntils(c)).map((r) => `${r.file}\n${r.valid_until}`));
    const ids = live.filter((s) => { const d = s.data as unknown as KnowledgeExpiringData; return !current.has(`${d.file}\n${d.validUntil}`); }).map((s) => s.id);
    return resolveSignals(c.db, c.tenant.id, ids, c.now, 'the knowledge file was updated');
  },
};
