import { definePlaybook } from '../engine/define-playbook.js';
import type { RunContext } from '../engine/run-context.js';
import { evaluatePolicy } from '../policy/evaluate-policy.js';
import { awaitOwnerDecision } from '../actions/owner-decision.js';
import { outboundAllowList } from '../actions/outbound-allowed.js';
import { inspectOutbound } from '../../core/outbound-guard.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { checkGroundedness } from '../../knowledge/groundedness.js';
import { audit } from '../../records/audit.js';
import { recordLedgerEntry } from '../../records/ledger-entries.js';
import { CONTENT_POST_PLANNED } from './content-store.js';
import { ContentSettings, contentSettings, type ContentSettingsT } from './content-settings.js';
import { PLATFORM_RULES, type Platform } from './platform-rules.js';
import { checkPost, imageProblem } from './post-check.js';
import { readVoiceNotes } from '../../knowledge/voice-notes.js';
import type { PostStatus } from './tables.js';
import './tables.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** The policy's action kind for publishing a post. */
export const CONTENT_PUBLISH = 'content.publish';

/** Minutes writing and designing one post takes by hand (`records/action-minutes.ts`, shared with the audit and the ledger summary). */
export const MINUTES_PER_POST = ACTION_KINDS.socialPost.minutes;

/** A post approved this long after its slot is published at once; later, it is failed as missed. */
export const LATE_PUBLISH_MS = 24 * 3_600_000;

interface PostRow {
  id: string;
  platform: Platform;
  slotAt: string;
  text: string;
  status: PostStatus;
  link: string | null;
  cta: { type: string; url: string | null };
  hashtags: string[];
  imageNote: string | null;
  imageRequired: boolean;
  passage: string;
}

async function setPost(ctx: RunContext, postId: string, values: Record<string, unknown>): Promise<void> {
  await ctx.deps.db.updateTable('content_posts').set({ ...values, updated_at: ctx.deps.clock.now() }).where('id', '=', postId).execute();
}

/** How the platform's posts leave, per the settings: webhook connection, MCP tool, or export. */
async function publisherFor(ctx: RunContext, settings: ContentSettingsT, platform: Platform) {
  const p = settings.publish[platform];
  if (!p || 'export' in p) return { kind: 'export' as const };
  const name = 'webhook' in p ? p.webhook : p.mcp.connection;
  const kind = 'webhook' in p ? 'publish-webhook' : 'mcp';
  const conn = await ctx.deps.db.selectFrom('connections').select(['id', 'tenant_id', 'credentials_encrypted']).where('tenant_id', '=', ctx.tenant.id).where('kind', '=', kind).where('name', '=', name).executeTakeFirst();
  if (!conn) return { kind: 'missing' as const, why: `no ${kind} connection named "${name}" (playbooks.content-engine.publish.${platform})` };
  if ('webhook' in p) return { kind: 'webhook' as const, connectionId: conn.id };
  if (!ctx.deps.toolEffect(conn, p.mcp.tool)) return { kind: 'missing' as const, why: `${p.mcp.tool} is not a declared tool of MCP connection "${name}"` };
  return { kind: 'mcp' as const, connectionId: conn.id, tool: p.mcp.tool };
}

/**
 * One planned post, from the week's draft to its publication (`content_post_planned`). Steps:
 * `load`; `decide` (policy kind `content.publish`, effect send; the text's links and numbers
 * through the outbound guard and its prices and claims through the groundedness check again);
 * the owner's decision when the policy asks (`approve.*`; the post is `in_approval` from the moment its approval row exists, in the batch of the week: approve, edit,
 * or reject with a reason that the next week's drafting learns from); `schedule`; the durable
 * wait until the slot (`slot.*`, the business clock); `publish` (outbox row on channel `publish`
 * for a signed webhook or `mcp` for a tool, delivered; a platform that requires an image fails here without one); `record` (URL or failure on the post and
 * the run, ledger minutes saved). A platform without a publisher stays `scheduled` for the Buffer
 * export.
 */
export const contentEngine = definePlaybook({
  id: 'content-engine',
  version: 1,
  title: 'Publish a planned post',
  trigger: { signal: CONTENT_POST_PLANNED },
  settings: ContentSettings,
  minutesPerRun: MINUTES_PER_POST,
  async run(ctx, input) {
    const { db, clock } = ctx.deps;
    const tenant = ctx.tenant;
    const postId = typeof input.data.postId === 'string' ? input.data.postId : '';
    const post = await ctx.step<PostRow | null>('load', async () => {
      const r = await db.selectFrom('content_posts').innerJoin('content_ideas', 'content_ideas.id', 'content_posts.idea_id').innerJoin('content_sources', 'content_sources.id', 'content_ideas.source_id')
        .select(['content_posts.id', 'content_posts.platform', 'content_posts.slot_at', 'content_posts.text', 'content_posts.status', 'content_posts.link', 'content_posts.cta', 'content_posts.hashtags', 'content_posts.image_note', 'content_posts.image_required', 'content_sources.body', 'content_ideas.passage_start', 'content_ideas.passage_end'])
        .where('content_posts.id', '=', postId).where('content_posts.tenant_id', '=', tenant.id).executeTakeFirst();
      if (!r) return null;
      return {
        id: r.id, platform: r.platform, slotAt: r.slot_at.toISOString(), text: r.text, status: r.status, link: r.link, cta: r.cta, hashtags: r.hashtags,
        imageNote: r.image_note, imageRequired: r.image_required, passage: r.body.slice(r.passage_start, r.passage_end),
      };
    });
    if (!post) return { summary: `no post ${postId} in this business`, resolved: true };
    if (post.status !== 'drafted') return { summary: `post ${post.id} is already ${post.status}`, resolved: true };
    const rules = PLATFORM_RULES[post.platform];
    const settings = contentSettings(tenant.playbookSettings['content-engine']);
    const slotLabel = `${rules.label}, ${new Date(post.slotAt).toLocaleString('en-CA', { timeZone: settings.audience_time_zone ?? tenant.timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })}`;

    const decision = await ctx.step('decide', async () => {
      const guard = inspectOutbound(post.text, outboundAllowList(tenant, ctx.deps.publicUrl()));
      const unsupportedClaims = (await checkGroundedness(db, tenant.id, post.text, { now: clock.now() })).unsupported.map((u) => `${u.claim} (${u.reason})`);
      const d = evaluatePolicy(ctx.deps.policy(tenant.id), { kind: CONTENT_PUBLISH, effect: 'send', recipient: post.platform, unsupportedClaims, foreignLinks: guard.foreignLinks, foreignNumbers: guard.foreignNumbers },
        { now: clock.now(), timeZone: tenant.timeZone, recipientOptedOut: false, isFirstContact: false, sentToRecipientToday: 0 });
      const reasons = d.reasons.filter((r) => r.decision !== 'hold');
      await audit(db, tenant.id, 'policy', `policy.${d.outcome}`, ctx.runId, { step: 'decide', kind: CONTENT_PUBLISH, postId: post.id, reasons });
      return { outcome: d.outcome, reasons, notBefore: d.notBefore?.toISOString() ?? null };
    });
    if (decision.outcome === 'never') {
      await ctx.step('refused', () => setPost(ctx, post.id, { status: 'failed', failure: `the policy refuses ${CONTENT_PUBLISH}: ${decision.reasons.map((r) => r.detail).join('; ')}` }).then(() => true));
      return { summary: `post on ${rules.label} refused by the policy`, resolved: true };
    }
    let text = post.text;
    let decidedBy: string | null = null;
    if (decision.outcome === 'approve') {
      const d = await awaitOwnerDecision(ctx, 'approve', {
        kind: CONTENT_PUBLISH, recipient: post.platform, reasons: decision.reasons,
        proposal: { kind: CONTENT_PUBLISH, platform: post.platform, body: post.text, slotAt: post.slotAt, postId: post.id },
        notice: { label: `Post on ${slotLabel}`, text: post.text, context: `content week, ${rules.label}`, editable: true },
        untrusted: [{ label: 'the source passage this post is written from', text: post.passage }],
        // The approval row is the source of truth for "waiting for you"; the post says so once it exists.
        onRequested: async () => {
          await db.updateTable('content_posts').set({ status: 'in_approval', updated_at: clock.now() }).where('id', '=', post.id).where('status', '=', 'drafted').execute();
        },
      });
      if (d.status !== 'approved') {
        const status: PostStatus = d.status === 'expired' ? 'expired' : 'rejected';
        await ctx.step('record-decision', () => setPost(ctx, post.id, {
          status, ...(d.status === 'rejected' ? { reject_reason: d.reason, decided_by: d.decidedBy, decided_at: clock.now() } : {}),
        }).then(() => status));
        return { summary: `post on ${rules.label} ${status}${d.status === 'rejected' && d.reason ? `: ${d.reason}` : ''}`, resolved: true };
      }
      decidedBy = d.decidedBy;
      const edited = typeof d.edits?.body === 'string' ? d.edits.body.trim() : null;
      if (edited && edited !== post.text) {
        const voice = await ctx.step('voice', () => readVoiceNotes(db, tenant.id).then((v) => v.banned));
        const problems = checkPost({ ...post, text: edited }, rules, voice);
        if (problems.length) {
          await ctx.step('edit-refused', () => setPost(ctx, post.id, { status: 'failed', failure: `the edit breaks ${rules.label}'s rules: ${problems.map((p) => p.detail).join('; ')}` }).then(() => true));
          return { summary: `edited post on ${rules.label} not published: ${problems.map((p) => p.detail).join('; ')}`, resolved: true };
        }
        text = edited;
      }
    }
    const approvedAt = await ctx.step('schedule', async () => {
      const now = clock.now();
      await setPost(ctx, post.id, { status: 'scheduled', text, edited: text !== post.text, decided_by: decidedBy ?? 'policy', decided_at: now });
      return now.toISOString();
    });
    const slot = new Date(Math.max(new Date(post.slotAt).getTime(), decision.notBefore ? new Date(decision.notBefore).getTime() : 0));
    if (new Date(approvedAt).getTime() - slot.getTime() > LATE_PUBLISH_MS) {
      await ctx.step('missed', () => setPost(ctx, post.id, { status: 'failed', failure: `approved more than 24 h after its slot (${post.slotAt}); draft it into another week` }).then(() => true));
      return { summary: `post on ${rules.label} missed its slot`, resolved: true };
    }
    await ctx.waitUntil('slot', slot, `publish slot ${slot.toISOString()}`);
    const publisher = await ctx.step('publisher', () => publisherFor(ctx, settings, post.platform));
    if (publisher.kind === 'export') return { summary: `post on ${rules.label} scheduled for ${post.slotAt}; no publisher: export it (Buffer CSV)`, resolved: true };
    if (publisher.kind === 'missing') {
      await ctx.step('record', () => setPost(ctx, post.id, { status: 'failed', failure: publisher.why }).then(() => 'failed'));
      return { summary: `post on ${rules.label} not published: ${publisher.why}`, resolved: true };
    }
    // The owner may attach the image after approving; read it at the slot.
    const image = await ctx.step('image', async () => {
      const r = await db.selectFrom('content_posts').select('image_url').where('id', '=', post.id).executeTakeFirstOrThrow();
      return { url: r.image_url, problem: imageProblem({ imageUrl: r.image_url }, rules) };
    });
    if (image.problem) {
      await ctx.step('record', () => setPost(ctx, post.id, { status: 'failed', failure: `${rules.label} post ${image.problem}` }).then(() => 'failed'));
      return { summary: `post on ${rules.label} not published: it ${image.problem}`, resolved: true };
    }
    const res = await ctx.step('publish', async () => {
      const body = { postId: post.id, business: tenant.slug, platform: post.platform, text, link: post.link, cta: post.cta, hashtags: post.hashtags, imageUrl: image.url, imageNote: post.imageNote, imageRequired: post.imageRequired, slotAt: post.slotAt };
      const row = await enqueueOutboxRow(db, {
        tenantId: tenant.id, runId: ctx.runId, stepId: 'publish', idempotencyKey: `${ctx.runId}:publish`, kind: CONTENT_PUBLISH, channel: publisher.kind === 'webhook' ? 'publish' : 'mcp', recipient: post.platform,
        payload: publisher.kind === 'webhook'
          ? { from: 'aios', body: text, connectionId: publisher.connectionId, post: body }
          : { from: 'aios', body: text, connectionId: publisher.connectionId, tool: publisher.tool, arguments: body },
      });
      const delivered = await deliverOutbox(db, ctx.deps.channels, row, () => clock.now());
      const after = await db.selectFrom('outbox').select(['provider_ref', 'provider_response']).where('id', '=', row.id).executeTakeFirstOrThrow();
      const response = after.provider_response as { url?: unknown } | null;
      return { status: delivered.status, error: delivered.error, outboxId: row.id, ref: after.provider_ref, url: typeof response?.url === 'string' ? response.url : null };
    }, { attempts: 4, backoffSeconds: 5 });
    await ctx.step('record', async () => {
      const now = clock.now();
      if (res.status === 'sent') {
        await setPost(ctx, post.id, { status: 'published', published_at: now, published_url: res.url, publish_ref: res.ref });
        await recordLedgerEntry(db, { tenantId: tenant.id, runId: ctx.runId, outboxId: res.outboxId, category: 'content_post', minutesSaved: MINUTES_PER_POST, note: `${post.platform}${res.url ? ` ${res.url}` : ''}` });
      } else {
        await setPost(ctx, post.id, { status: 'failed', failure: res.error ?? res.status });
      }
      return res.status;
    });
    if (res.status === 'sent') return { summary: `published on ${rules.label}${res.url ? `: ${res.url}` : ''}`, resolved: true };
    return { summary: `post on ${rules.label} failed: ${res.error ?? res.status}`, resolved: true };
  },
});
