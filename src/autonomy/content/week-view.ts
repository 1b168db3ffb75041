import type { Db } from '../../store/db.js';
import { NotFoundError } from '../../core/errors.js';
import { bufferCsv } from '../../connection/publishing/buffer-csv.js';
import { contentLedger, type ContentLedger } from './content-ledger.js';
import { PLATFORM_RULES, type Platform } from './platform-rules.js';
import { imageProblem } from './post-check.js';
import { scheduleIcs } from './schedule-ics.js';
import type { LeftOutRow, PostStatus, PostWriter } from './tables.js';
import './tables.js';

/** One post as the Content page and the CLI show it. */
export interface PostView {
  id: string;
  platform: Platform;
  slotAt: string;
  text: string;
  hashtags: string[];
  link: string | null;
  cta: { type: string; url: string | null };
  imageNote: string | null;
  imageRequired: boolean;
  /** The image the owner attached (https), else null. */
  imageUrl: string | null;
  /** Why the post cannot be approved yet ("needs an image: …"), else null. */
  needsImage: string | null;
  /** Who wrote the text: the offline templates or the model (which passed the same checks). */
  writer: PostWriter;
  /** Why a model-written post fell back to the template, one line each. */
  notes: string[];
  /**
   * The post's state. Before the owner decides, the approval row is the source of truth: a post
   * with a pending approval is `in_approval`, one whose approval was just decided is `approved` /
   * `rejected` until its run records it; a post without an approval yet is `drafted`.
   */
  status: PostStatus;
  edited: boolean;
  approvalId: string | null;
  runId: string | null;
  rejectReason: string | null;
  publishedUrl: string | null;
  failure: string | null;
  idea: { kind: string; topic: string; source: string };
}

/** A planned week with its posts (in slot order) and its ledger. */
export interface WeekView {
  id: string;
  monday: string;
  timeZone: string;
  unfilled: number;
  leftOut: LeftOutRow[];
  posts: PostView[];
  ledger: ContentLedger;
}

/** The weeks drafted for a business, newest first (Monday and post count). */
export async function listWeeks(db: Db, tenantId: string): Promise<{ monday: string; posts: number }[]> {
  const rows = await db.selectFrom('content_weeks').select(['monday', 'posts_planned']).where('tenant_id', '=', tenantId).orderBy('monday', 'desc').limit(52).execute();
  return rows.map((r) => ({ monday: r.monday, posts: r.posts_planned }));
}

/**
 * A drafted week: `monday` as `YYYY-MM-DD`, or null for the latest.
 * @throws NotFoundError when no such week is drafted
 */
export async function weekView(db: Db, tenantId: string, monday: string | null): Promise<WeekView> {
  let q = db.selectFrom('content_weeks').selectAll().where('tenant_id', '=', tenantId);
  q = monday ? q.where('monday', '=', monday) : q.orderBy('monday', 'desc').limit(1);
  const week = await q.executeTakeFirst();
  if (!week) throw new NotFoundError('content week', monday ?? '(none drafted yet: `aios content week`)');
  const rows = await db.selectFrom('content_posts').innerJoin('content_ideas', 'content_ideas.id', 'content_posts.idea_id').innerJoin('content_sources', 'content_sources.id', 'content_ideas.source_id')
    .selectAll('content_posts').select(['content_ideas.kind as idea_kind', 'content_ideas.topic as idea_topic', 'content_sources.title as source_title'])
    .where('content_posts.week_id', '=', week.id).orderBy('content_posts.slot_at').orderBy('content_posts.platform').execute();
  const runIds = rows.flatMap((r) => (r.run_id ? [r.run_id] : []));
  const approvals = runIds.length ? await db.selectFrom('approvals').select(['id', 'run_id', 'status']).where('tenant_id', '=', tenantId).where('run_id', 'in', runIds).execute() : [];
  const approvalOf = new Map(approvals.map((a) => [a.run_id, a]));
  return {
    id: week.id, monday: week.monday, timeZone: week.time_zone, unfilled: week.unfilled, leftOut: week.left_out,
    posts: rows.map((r) => {
      const a = r.run_id ? approvalOf.get(r.run_id) : undefined;
      return {
        id: r.id, platform: r.platform, slotAt: r.slot_at.toISOString(), text: r.text, hashtags: r.hashtags, link: r.link, cta: r.cta, imageNote: r.image_note, imageRequired: r.image_required,
        imageUrl: r.image_url, needsImage: ['drafted', 'in_approval', 'scheduled'].includes(r.status) ? imageProblem({ imageUrl: r.image_url }, PLATFORM_RULES[r.platform]) : null,
        writer: r.writer, notes: r.notes ? r.notes.split('\n') : [],
        status: shownStatus(r.status, a?.status), edited: r.edited, approvalId: a?.id ?? null, runId: r.run_id, rejectReason: r.reject_reason, publishedUrl: r.published_url, failure: r.failure,
        idea: { kind: r.idea_kind, topic: r.idea_topic, source: r.source_title },
      };
    }),
    ledger: contentLedger(rows),
  };
}

/** A post's status as shown: before the run records a decision, the approval row's state wins. */
function shownStatus(post: PostStatus, approval: string | undefined): PostStatus {
  if (post !== 'drafted' && post !== 'in_approval') return post;
  if (approval === 'pending') return 'in_approval';
  if (approval === 'approved' || approval === 'rejected' || approval === 'expired') return approval;
  return 'drafted';
}

/** Posts that belong in an export: everything not rejected, expired or failed. */
function exportable(w: WeekView): PostView[] {
  return w.posts.filter((p) => !['rejected', 'expired', 'failed'].includes(p.status));
}

/** The week as an iCalendar file (one event per post at its slot). */
export function weekIcs(w: WeekView, now: Date): string {
  return scheduleIcs(exportable(w).map((p) => ({ id: p.id, platform: p.platform, at: new Date(p.slotAt), text: p.text, status: p.status })), now);
}

/**
 * The week's posts for one platform as a Buffer bulk-upload CSV (times in the audience's zone;
 * tags `aios` and the idea's kind; the attached image's URL). Buffer takes a file per channel,
 * hence per platform. A post that needs an image and has none is left out (Buffer would refuse it).
 */
export function weekBufferCsv(w: WeekView, platform: Platform): string {
  return bufferCsv(exportable(w).filter((p) => p.platform === platform && !p.needsImage).map((p) => ({ text: p.text, imageUrl: p.imageUrl, tags: ['aios', p.idea.kind], at: new Date(p.slotAt) })), w.timeZone);
}
