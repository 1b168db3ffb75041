import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { PlaybookHost } from '../engine/playbook-host.js';
import type { PlannedRun } from '../engine/playbook-host.js';
import { ConflictError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { audit } from '../../records/audit.js';
import { checkGroundedness } from '../../knowledge/groundedness.js';
import { readVoiceNotes } from '../../knowledge/voice-notes.js';
import { PROPOSED_BY_PRINCIPAL } from '../approvals/separation-of-duties.js';
import { mondayOf, nextMonday } from './calendar.js';
import { contentSettings } from './content-settings.js';
import type { Idea } from './ideas.js';
import { learnFromRejections } from './lessons.js';
import { readSource } from './source.js';
import { planWeek } from './week-planner.js';
import { modelPostWriter } from './model-writer.js';
import type { WriterContext } from './writer.js';
import { inspectOutbound } from '../../core/outbound-guard.js';
import { outboundAllowList } from '../actions/outbound-allowed.js';
import './tables.js';

/** The signal one planned post raises; its `content-engine` run takes the post to publication. */
export const CONTENT_POST_PLANNED = 'content_post_planned';

/** What adding a source did. */
export interface AddedSource {
  sourceId: string;
  title: string;
  ideas: number;
  /** The same bytes were added before: nothing new was stored. */
  duplicate: boolean;
}

/**
 * Adds a source to the content library: read with the knowledge extractor, its ideas extracted
 * (with passage offsets) and stored. The same file twice is one source.
 * @throws InputError `content_nothing_postable` / `content_unreadable` (nothing is stored)
 */
export async function addSource(db: Db, tenant: TenantInfo, name: string, bytes: Buffer, actor: string): Promise<AddedSource> {
  const src = await readSource(name, bytes, tenant.currency);
  return db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('content_sources').select(['id', 'title']).where('tenant_id', '=', tenant.id).where('sha256', '=', src.sha256).executeTakeFirst();
    if (existing) {
      const n = await tx.selectFrom('content_ideas').select((e) => e.fn.countAll<number>().as('n')).where('source_id', '=', existing.id).executeTakeFirstOrThrow();
      return { sourceId: existing.id, title: existing.title, ideas: Number(n.n), duplicate: true };
    }
    const id = newId('csrc');
    await tx.insertInto('content_sources').values({ id, tenant_id: tenant.id, name: name.slice(0, 300), title: src.title.slice(0, 300), format: src.format, body: src.body, sha256: src.sha256 }).execute();
    await tx.insertInto('content_ideas').values(src.ideas.map((i, seq) => ({
      id: newId('cidea'), tenant_id: tenant.id, source_id: id, seq, kind: i.kind, text: i.text, topic: i.topic, heading: i.passage.heading,
      passage_start: i.passage.start, passage_end: i.passage.end, score: i.score, keywords: JSON.stringify(i.keywords),
    }))).execute();
    await audit(tx, tenant.id, actor, 'content.source_added', id, { name, ideas: src.ideas.length, kinds: [...new Set(src.ideas.map((i) => i.kind))] });
    return { sourceId: id, title: src.title, ideas: src.ideas.length, duplicate: false };
  });
}

/** What drafting a week did. */
export interface DraftedWeek {
  weekId: string;
  monday: string;
  timeZone: string;
  posts: number;
  unfilled: number;
  leftOut: { ideaId: string; platform: string; reason: string }[];
  runIds: string[];
}

/**
 * Drafts a week of posts from every idea in the library (newest sources first; ideas the owner
 * rejected are not planned again, and the reasons' lessons shape the writing), plans them on the
 * calendar, checks each against the platform rules, the voice and the knowledge (with a model
 * configured, the model rewrites each post and its rewrite is kept only when it passes the same
 * checks and the outbound guard; else the template stays, noted on the post), and stores the
 * week with one `content_post_planned` signal and `content-engine` run per post, in one
 * transaction (runs start after the commit). The runs ask the owner (batch approval) and publish
 * at the slot, per policy. `proposerPrincipalId`: the API caller that asked, kept so that it
 * cannot approve the posts (separation of duties); AIOS's own drafting has none.
 * @param monday any date of the week (`YYYY-MM-DD`), else next week
 * @throws ConflictError when that week is already drafted
 */
export async function draftWeek(db: Db, host: PlaybookHost, tenant: TenantInfo, opts: { monday?: string; requestedBy: string; proposerPrincipalId?: string | null; now: Date }): Promise<DraftedWeek> {
  const settings = contentSettings(tenant.playbookSettings['content-engine']);
  const timeZone = settings.audience_time_zone ?? tenant.timeZone;
  const monday = opts.monday ? mondayOf(opts.monday) : nextMonday(opts.now, timeZone);
  const taken = await db.selectFrom('content_weeks').select('id').where('tenant_id', '=', tenant.id).where('monday', '=', monday).executeTakeFirst();
  if (taken) throw new ConflictError(`the week of ${monday} is already drafted`, `Open it with \`aios content week --week ${monday}\`, or draft another week.`);
  const rows = await db.selectFrom('content_ideas').innerJoin('content_sources', 'content_sources.id', 'content_ideas.source_id')
    .select(['content_ideas.id', 'content_ideas.kind', 'content_ideas.text', 'content_ideas.topic', 'content_ideas.heading', 'content_ideas.passage_start', 'content_ideas.passage_end', 'content_ideas.score', 'content_ideas.keywords'])
    .where('content_ideas.tenant_id', '=', tenant.id).orderBy('content_sources.created_at', 'desc').orderBy('content_ideas.seq').limit(500).execute();
  if (!rows.length) throw new ConflictError('the content library is empty', 'Add a source first: `aios content add <file>` (a blog post, notes, a transcript, a PDF).');
  const rejected = await db.selectFrom('content_posts').select(['idea_id', 'reject_reason']).where('tenant_id', '=', tenant.id).where('status', '=', 'rejected').orderBy('decided_at').execute();
  const rejectedIdeas = new Set(rejected.map((r) => r.idea_id));
  const lessons = learnFromRejections(rejected.map((r) => r.reject_reason ?? '').filter(Boolean));
  const ideas: Idea[] = rows.map((r) => ({ kind: r.kind, text: r.text, topic: r.topic, score: r.score, keywords: r.keywords, passage: { heading: r.heading, start: r.passage_start, end: r.passage_end } }));
  const voice = await readVoiceNotes(db, tenant.id);
  const ctx: WriterContext = {
    businessName: tenant.name, link: settings.link ?? tenant.profile.booking_link ?? tenant.profile.website ?? null, hashtags: settings.hashtags,
    signOff: voice.signOff, banned: [...voice.banned, ...lessons.banned], lessons,
  };
  const allowed = outboundAllowList(tenant, host.deps.publicUrl());
  const plan = await planWeek({
    ideas, platforms: settings.platforms, monday, timeZone, postsPerWeek: settings.posts_per_week,
    spacing: { ideaGapHours: settings.idea_gap_hours, platformGapHours: settings.platform_gap_hours },
    skipIdeas: new Set(rows.flatMap((r, i) => (rejectedIdeas.has(r.id) ? [i] : []))),
    ctx,
    ground: (text) => checkGroundedness(db, tenant.id, text, { now: opts.now }),
    rewrite: modelPostWriter(host.deps.models, tenant.id, voice.rules, ctx),
    guard: (text) => {
      const g = inspectOutbound(text, { links: [...allowed.links, ...(ctx.link ? [ctx.link] : [])], numbers: allowed.numbers });
      return [...g.foreignLinks.map((l) => `a link that is not the business's own (${l})`), ...g.foreignNumbers.map((n) => `a phone number that is not the business's (${n})`)];
    },
  });
  const weekId = newId('cwk');
  const leftOut = plan.leftOut.map((l) => ({ ideaId: rows[l.idea]!.id, platform: l.platform, reason: l.reason }));
  const { plans } = await db.transaction().execute(async (tx) => {
    await tx.insertInto('content_weeks').values({ id: weekId, tenant_id: tenant.id, monday, time_zone: timeZone, posts_planned: plan.posts.length, unfilled: plan.unfilled, left_out: JSON.stringify(leftOut), requested_by: opts.requestedBy }).execute();
    const all: PlannedRun[] = [];
    for (const p of plan.posts) {
      const postId = newId('cpost');
      await tx.insertInto('content_posts').values({
        id: postId, tenant_id: tenant.id, week_id: weekId, idea_id: rows[p.idea]!.id, platform: p.platform, slot_at: p.at, text: p.text,
        hashtags: JSON.stringify(p.hashtags), link: p.link, cta: JSON.stringify(p.cta), image_note: p.imageNote, image_required: p.imageRequired,
        writer: p.writer, notes: p.notes.length ? p.notes.join('\n') : null,
      }).execute();
      const signal = await tx.insertInto('signals').values({
        id: newId('sig'), tenant_id: tenant.id, kind: CONTENT_POST_PLANNED, subject: `${p.platform} ${p.at.toISOString()}`, severity: 'normal', dedup_key: `content:post:${postId}`,
        data: JSON.stringify({ postId, weekId, ...(opts.proposerPrincipalId ? { [PROPOSED_BY_PRINCIPAL]: opts.proposerPrincipalId } : {}) }),
      }).returningAll().executeTakeFirstOrThrow();
      const planned = await host.planRuns(tx, signal);
      if (planned[0]) await tx.updateTable('content_posts').set({ run_id: planned[0].runId }).where('id', '=', postId).execute();
      all.push(...planned);
    }
    await audit(tx, tenant.id, opts.requestedBy, 'content.week_drafted', weekId, { monday, posts: plan.posts.length, leftOut: leftOut.length, unfilled: plan.unfilled, lessons, modelWritten: plan.posts.filter((p) => p.writer === 'model').length });
    return { plans: all };
  });
  await host.startPlanned(plans);
  return { weekId, monday, timeZone, posts: plan.posts.length, unfilled: plan.unfilled, leftOut, runIds: plans.map((p) => p.runId) };
}
