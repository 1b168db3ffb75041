import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify as toYaml } from 'yaml';
import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';
import { ConflictError, InputError, NotFoundError } from '../core/errors.js';
import { dateInZone } from './dates.js';
import { syncKnowledge, type SyncOptions } from './sync.js';
import { detectLanguage, jaccard, normalizeQuestion, slugify } from './text.js';
import type { KnowledgeGap, KnowledgeLanguage, SyncResult } from './types.js';

/** Signal kind raised when a question could not be answered from the knowledge. */
export const KNOWLEDGE_GAP = 'knowledge_gap';
/** Token-set Jaccard similarity at or above which two questions are the same gap. */
export const GAP_SIMILARITY = 0.6;

type GapRow = {
  id: string;
  question: string;
  normalized: string;
  language: string;
  status: 'open' | 'answered';
  occurrences: number;
  created_at: Date;
  last_asked_at: Date;
  answered_at: Date | null;
  answer_file: string | null;
};

function toGap(r: GapRow): KnowledgeGap {
  return {
    id: r.id,
    question: r.question,
    normalized: r.normalized,
    language: r.language === 'fr' ? 'fr' : 'en',
    status: r.status,
    occurrences: r.occurrences,
    createdAt: r.created_at.toISOString(),
    lastAskedAt: r.last_asked_at.toISOString(),
    answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
    answerFile: r.answer_file,
  };
}

/**
 * Records a question the knowledge could not answer. Similar open questions (normalised token
 * sets with Jaccard ≥ {@link GAP_SIMILARITY}) are one gap whose `occurrences` grows; a new gap
 * raises a `knowledge_gap` signal for the owner. Serialised per tenant.
 * @returns the gap and whether it is new
 */
export async function recordGap(db: Db, tenantId: string, question: string, language?: KnowledgeLanguage): Promise<{ gap: KnowledgeGap; isNew: boolean }> {
  const q = question.trim().replace(/\s+/g, ' ').slice(0, 1000);
  if (!q) throw new InputError('The question is empty', { fix: 'Pass the customer question text.' });
  const normalized = normalizeQuestion(q) || q.toLowerCase();
  const lang = language ?? detectLanguage(q);
  return await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${'aios.knowledge.gap:' + tenantId}))`.execute(trx);
    const open = await trx.selectFrom('knowledge_gaps').select(['id', 'normalized']).where('tenant_id', '=', tenantId).where('status', '=', 'open').execute();
    let best: { id: string; sim: number } | null = null;
    for (const g of open) {
      const sim = g.normalized === normalized ? 1 : jaccard(g.normalized, normalized);
      if (sim >= GAP_SIMILARITY && (!best || sim > best.sim)) best = { id: g.id, sim };
    }
    if (best) {
      const row = await trx
        .updateTable('knowledge_gaps')
        .set({ occurrences: sql`occurrences + 1`, last_asked_at: sql`now()` })
        .where('id', '=', best.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('signals')
        .set({ occurrences: sql`occurrences + 1`, updated_at: sql`now()` })
        .where('tenant_id', '=', tenantId)
        .where('dedup_key', '=', `${KNOWLEDGE_GAP}:${best.id}`)
        .execute();
      return { gap: toGap(row as GapRow), isNew: false };
    }
    const id = newId('kgap');
    const row = await trx
      .insertInto('knowledge_gaps')
      .values({ id, tenant_id: tenantId, question: q, normalized, language: lang })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('signals')
      .values({
        id: newId('sig'),
        tenant_id: tenantId,
        kind: KNOWLEDGE_GAP,
        subject: q.slice(0, 200),
        severity: 'normal',
        dedup_key: `${KNOWLEDGE_GAP}:${id}`,
        data: JSON.stringify({ gapId: id, question: q, language: lang, message: `A customer asked "${q}" and the knowledge has no answer. Answer it once and AIOS will know it from now on.` }),
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
      .execute();
    return { gap: toGap(row as GapRow), isNew: true };
  });
}

/**
 * Gaps of a tenant, most asked first.
 * @param opts.status only `open` or only `answered` gaps (default: both)
 */
export async function listGaps(db: Db, tenantId: string, opts: { status?: 'open' | 'answered' } = {}): Promise<KnowledgeGap[]> {
  let q = db.selectFrom('knowledge_gaps').selectAll().where('tenant_id', '=', tenantId);
  if (opts.status) q = q.where('status', '=', opts.status);
  const rows = await q.orderBy('status', 'desc').orderBy('occurrences', 'desc').orderBy('last_asked_at', 'desc').execute();
  return rows.map((r) => toGap(r as GapRow));
}

function lstatSafe(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Picks `faq/<slug>.md`, reusing the file already written for this gap (a retried call). */
function faqPath(dir: string, slug: string, gapId: string): string {
  for (let i = 1; ; i++) {
    const rel = `faq/${slug}${i === 1 ? '' : `-${i}`}.md`;
    const abs = join(dir, rel);
    if (!existsSync(abs) || readFileSync(abs, 'utf8').includes(`gap_id: ${gapId}`)) return rel;
  }
}

/**
 * Answers a gap once and for all: writes `faq/<slug>.md` in the knowledge folder `dir` (front
 * matter kind faq, the question as title), re-indexes the folder, marks the gap answered and
 * resolves its signal. The next time the question (or a paraphrase) is asked, it is answered from
 * that file.
 * @throws NotFoundError for an unknown gap; ConflictError when it is already answered;
 *   InputError when the answer is empty
 */
export async function answerGap(
  db: Db,
  tenantId: string,
  dir: string,
  gapId: string,
  answerText: string,
  opts: SyncOptions = {},
): Promise<{ gap: KnowledgeGap; file: string; sync: SyncResult }> {
  const answer = answerText.trim();
  if (!answer) throw new InputError('The answer is empty', { fix: 'Write the answer as you would tell a customer.' });
  const row = await db.selectFrom('knowledge_gaps').selectAll().where('tenant_id', '=', tenantId).where('id', '=', gapId).executeTakeFirst();
  if (!row) throw new NotFoundError('knowledge gap', gapId);
  if (row.status === 'answered') throw new ConflictError(`Gap ${gapId} was already answered in ${row.answer_file}`, `Edit ${row.answer_file} in the knowledge folder to change the answer.`);
  const tz = (await db.selectFrom('tenants').select('time_zone').where('id', '=', tenantId).executeTakeFirstOrThrow()).time_zone;
  const rel = faqPath(dir, slugify(row.question), gapId);
  const front = toYaml({ kind: 'faq', title: row.question, language: row.language, source: 'owner answer to a customer question', gap_id: gapId, answered_at: dateInZone(opts.now ?? new Date(), tz) });
  mkdirSync(join(dir, 'faq'), { recursive: true });
  // The knowledge folder never follows links (they are not indexed): writing through one would put
  // the owner's answer outside the folder, where it would never be found again.
  for (const p of ['faq', rel]) {
    if (lstatSafe(join(dir, p))?.isSymbolicLink()) {
      throw new InputError(`${p} in the knowledge folder is a symbolic link; AIOS does not write through links`, { fix: `Replace ${p} with a real folder or file inside the knowledge folder, then answer again.` });
    }
  }
  const fd = openSync(join(dir, rel), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  try {
    writeFileSync(fd, `---\n${front}---\n\n${answer}\n`);
  } finally {
    closeSync(fd);
  }
  const sync = await syncKnowledge(db, tenantId, dir, opts);
  const failed = sync.failures.find((f) => f.file === rel);
  if (failed) throw new InputError(`The answer file ${rel} could not be indexed: ${failed.reason}`, { fix: `Fix ${rel} and sync the knowledge again.` });
  const updated = await db.transaction().execute(async (trx) => {
    const g = await trx
      .updateTable('knowledge_gaps')
      .set({ status: 'answered', answered_at: sql`now()`, answer_file: rel })
      .where('id', '=', gapId)
      .where('tenant_id', '=', tenantId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('signals')
      .set({ status: 'resolved', resolved_at: sql`now()`, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('dedup_key', '=', `${KNOWLEDGE_GAP}:${gapId}`)
      .execute();
    return g;
  });
  return { gap: toGap(updated as GapRow), file: rel, sync };
}
