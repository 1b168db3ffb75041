import type { Db } from '../../store/db.js';
import type { PlaybookHost } from '../engine/playbook-host.js';
import { decideApproval } from '../approvals/approvals.js';
import { AiosError, ConflictError, InputError, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import { checkImageUrl } from '../../connection/publishing/image-url.js';
import type { Resolver } from '../../connection/framework/address-policy.js';
import { PLATFORM_RULES } from './platform-rules.js';
import { imageProblem } from './post-check.js';
import { mondayOf } from './calendar.js';
import './tables.js';

/** Who decides, as the API knows them. */
export interface Decider {
  tenantId: string;
  actor: string;
  /** The principal deciding (separation of duties: the week's proposer cannot). */
  principalId: string | null;
  now: Date;
}

/** One post's outcome in a decision call. */
export interface PostDecided {
  id: string;
  ok: boolean;
  /** `approved` / `rejected`, else why not (`needs_image`, `conflict`, …). */
  status: string;
  message: string | null;
  fix: string | null;
}

/**
 * Decides one post's pending approval (found through its run, the source of truth) and hands the
 * decision to the run. An approval an earlier call already approved counts as done (`ok`, with
 * "already approved"), so a repeated or concurrent approve is idempotent; the decision itself is
 * one conditional update, so every approval gets exactly one.
 * @throws NotFoundError no such post; ConflictError the post is not waiting for approval;
 *   InputError `needs_image` when approving a post whose platform requires an image it lacks
 */
export async function decidePost(db: Db, host: PlaybookHost, who: Decider, postId: string, d: { decision: 'approved' | 'rejected'; edits?: { body: string }; reason?: string }): Promise<PostDecided> {
  const post = await db.selectFrom('content_posts').select(['id', 'run_id', 'status', 'platform', 'image_url']).where('tenant_id', '=', who.tenantId).where('id', '=', postId).executeTakeFirst();
  if (!post) throw new NotFoundError('post', postId);
  const approval = post.run_id ? await db.selectFrom('approvals').select(['id', 'status']).where('tenant_id', '=', who.tenantId).where('run_id', '=', post.run_id).orderBy('created_at', 'desc').executeTakeFirst() : undefined;
  if (approval && approval.status === d.decision && d.decision === 'approved' && !d.edits) return { id: postId, ok: true, status: 'approved', message: 'already approved', fix: null };
  if (!approval || approval.status !== 'pending') {
    throw new ConflictError(`post ${postId} is ${approval ? approval.status : post.status === 'drafted' ? 'still being drafted' : post.status}, not waiting for approval`, approval || post.status !== 'drafted' ? 'Only posts in approval can be decided; draft another week for new posts.' : 'Its approval is being prepared: decide it again in a few seconds.');
  }
  const missing = d.decision === 'approved' ? imageProblem({ imageUrl: post.image_url }, PLATFORM_RULES[post.platform]) : null;
  if (missing) throw new InputError(`post ${postId} ${missing}`, { code: 'needs_image', fix: `Attach one: \`aios content edit ${postId} --image https://…\` or "Add image" on the Content page; then approve it.` });
  try {
    const { approval: a, delivery } = await decideApproval(db, {
      tenantId: who.tenantId, approvalId: approval.id, decision: d.decision, edits: d.edits ?? null, reason: d.reason ?? null, actor: who.actor, principalId: who.principalId, now: who.now,
    });
    await host.deliverDecision(a.run_id, delivery);
    return { id: postId, ok: true, status: a.status, message: null, fix: null };
  } catch (err) {
    // Another call decided it between our read and our update: the first decision stands.
    if (!(err instanceof ConflictError)) throw err;
    const now = await db.selectFrom('approvals').select('status').where('id', '=', approval.id).executeTakeFirstOrThrow();
    if (now.status === 'approved' && d.decision === 'approved' && !d.edits) return { id: postId, ok: true, status: 'approved', message: 'already approved', fix: null };
    throw err;
  }
}

/** What approving a week did. */
export interface WeekApproved {
  results: PostDecided[];
  /** Approvals this call decided. */
  decided: number;
  /** Approvals an earlier (or concurrent) call had already approved. */
  alreadyApproved: number;
  /** Posts waiting that were not approved because they need an image. */
  skippedNeedImage: number;
  /** Posts whose approval is not created yet (the week is still being drafted). */
  stillDrafting: number;
  /** One sentence for the owner. */
  message: string;
}

/**
 * Approves every post of the week that waits for the owner, in one sitting. The approvals are the
 * source of truth (a post counts as waiting when its run's approval is pending, whatever the post
 * row says yet); posts that need an image and lack one are skipped with that reason; posts whose
 * approval does not exist yet are counted as still drafting. Idempotent: running it twice, or two
 * at once, decides each approval once and reports the other as already approved.
 * @param monday any date of the week, `YYYY-MM-DD`
 * @throws NotFoundError when that week is not drafted
 */
export async function approveWeek(db: Db, host: PlaybookHost, who: Decider, monday: string): Promise<WeekApproved> {
  const week = await db.selectFrom('content_weeks').select('id').where('tenant_id', '=', who.tenantId).where('monday', '=', mondayOf(monday)).executeTakeFirst();
  if (!week) throw new NotFoundError('content week', monday);
  const posts = await db.selectFrom('content_posts').leftJoin('approvals', (j) => j.onRef('approvals.run_id', '=', 'content_posts.run_id'))
    .select(['content_posts.id', 'content_posts.status', 'approvals.status as approval_status'])
    .where('content_posts.week_id', '=', week.id).orderBy('content_posts.slot_at').orderBy('content_posts.platform').execute();
  const results: PostDecided[] = [];
  let stillDrafting = 0;
  let alreadyBefore = 0;
  for (const p of posts) {
    if (!p.approval_status) { if (p.status === 'drafted') stillDrafting++; continue; }
    if (p.approval_status === 'approved') { alreadyBefore++; continue; }
    if (p.approval_status !== 'pending') continue;
    try {
      results.push(await decidePost(db, host, who, p.id, { decision: 'approved' }));
    } catch (err) {
      if (!(err instanceof AiosError)) throw err;
      results.push({ id: p.id, ok: false, status: err.code, message: err.message, fix: err.fix || null });
    }
  }
  const decided = results.filter((r) => r.ok && !r.message).length;
  const alreadyApproved = alreadyBefore + results.filter((r) => r.ok && r.message).length;
  const skippedNeedImage = results.filter((r) => r.status === 'needs_image').length;
  const parts = [`approved ${decided} post${decided === 1 ? '' : 's'}`];
  if (alreadyApproved) parts.push(`${alreadyApproved} already approved`);
  if (skippedNeedImage) parts.push(`skipped ${skippedNeedImage} that need${skippedNeedImage === 1 ? 's' : ''} an image (attach one, then approve)`);
  if (stillDrafting) parts.push(`${stillDrafting} still being drafted (approve again in a moment)`);
  const failed = results.filter((r) => !r.ok && r.status !== 'needs_image').length;
  if (failed) parts.push(`${failed} could not be approved (see each)`);
  return { results, decided, alreadyApproved, skippedNeedImage, stillDrafting, message: `${parts.join('; ')}.` };
}

/**
 * Attaches (or replaces) the image of a post not yet published, rejected, expired or failed.
 * The URL is checked by {@link checkImageUrl} (https, public host).
 * @returns the stored URL
 * @throws NotFoundError no such post; ConflictError the post is past changing; InputError
 *   `image_url_refused`
 */
export async function attachImage(db: Db, who: Decider, postId: string, url: string, resolve?: Resolver): Promise<string> {
  const post = await db.selectFrom('content_posts').select(['id', 'status']).where('tenant_id', '=', who.tenantId).where('id', '=', postId).executeTakeFirst();
  if (!post) throw new NotFoundError('post', postId);
  const clean = await checkImageUrl(url, resolve);
  const updated = await db.updateTable('content_posts').set({ image_url: clean, updated_at: who.now }).where('id', '=', postId).where('status', 'in', ['drafted', 'in_approval', 'approved', 'scheduled']).returning('id').executeTakeFirst();
  if (!updated) throw new ConflictError(`post ${postId} is ${post.status}; its image can no longer change`, 'Attach images to posts not yet published; draft another week for new posts.');
  await audit(db, who.tenantId, who.actor, 'content.image_attached', postId, { url: clean });
  return clean;
}
