import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, openApiApp, scoped } from './openapi-app.js';
import { approveWeek, attachImage, decidePost, type Decider } from '../../autonomy/content/post-decisions.js';
import { addSource, draftWeek } from '../../autonomy/content/content-store.js';
import { readUrlSource } from '../../autonomy/content/source-url.js';
import { weekBufferCsv, weekIcs, weekView, listWeeks } from '../../autonomy/content/week-view.js';
import { PLATFORM_RULES, PLATFORMS } from '../../autonomy/content/platform-rules.js';
import { checkPost } from '../../autonomy/content/post-check.js';
import { readVoiceNotes } from '../../knowledge/voice-notes.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { cleanDeep } from '../../core/clean-text.js';
import '../../autonomy/content/tables.js';

/** Largest source accepted through the API, in characters of text or of base64. */
export const SOURCE_BODY_MAX = 2_000_000;

const Week = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).openapi({ description: 'a date of the week (YYYY-MM-DD); its Monday is used', example: '2026-12-07' });
const Platform = z.enum(PLATFORMS);
const PostView = z.object({
  id: z.string(), platform: Platform, slotAt: z.string(), text: z.string(), hashtags: z.array(z.string()), link: z.string().nullable(),
  cta: z.object({ type: z.string(), url: z.string().nullable() }), imageNote: z.string().nullable(), imageRequired: z.boolean(),
  status: z.enum(['drafted', 'in_approval', 'approved', 'rejected', 'expired', 'scheduled', 'published', 'failed']), edited: z.boolean(),
  approvalId: z.string().nullable(), runId: z.string().nullable(), rejectReason: z.string().nullable(), publishedUrl: z.string().nullable(), failure: z.string().nullable(),
  imageUrl: z.string().nullable().describe('the image attached (https)'), needsImage: z.string().nullable().describe('why the post cannot be approved yet for want of an image'),
  writer: z.enum(['template', 'model']), notes: z.array(z.string()).describe('why a model-written post fell back to the template'),
  idea: z.object({ kind: z.string(), topic: z.string(), source: z.string() }),
});
const Ledger = z.object({
  postsPlanned: z.number(), published: z.number(), approved: z.number(), edited: z.number(), rejected: z.number(),
  approvalMinutes: z.number().describe('minutes spent deciding (sittings measured from decision times)'),
  minutesSavedGross: z.number().describe('published posts × the audit\'s minutes per post'), minutesSavedNet: z.number(),
});
const WeekView = z.object({
  id: z.string(), monday: z.string(), timeZone: z.string(), unfilled: z.number(),
  leftOut: z.array(z.object({ ideaId: z.string(), platform: Platform, reason: z.string() })), posts: z.array(PostView), ledger: Ledger,
});
const Decided = z.object({ id: z.string(), ok: z.boolean(), status: z.string(), message: z.string().nullable(), fix: z.string().nullable() });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const PostParam = z.object({ id: z.string().min(1).max(100) });

const routes = {
  addSource: createRoute({
    method: 'post', path: '/content/sources', summary: 'Add a source to the content library: text (Markdown, HTML, text or transcript), a file as base64 (PDF/DOCX), or a web page\'s URL; its ideas are extracted with passage references',
    ...scoped('propose'),
    request: { body: { content: { 'application/json': { schema: z.object({
      name: z.string().min(1).max(300).optional().describe('file name; its extension gives the format (required with text or base64)'),
      text: z.string().max(SOURCE_BODY_MAX).optional(), base64: z.string().max(SOURCE_BODY_MAX).optional(),
      url: z.string().min(1).max(2000).optional().describe('a public web page (http/https) read once, robots.txt honoured'),
    }).strict() } }, required: true } },
    responses: { 201: json(z.object({ sourceId: z.string(), title: z.string(), ideas: z.number(), duplicate: z.boolean() }), 'added (or found: the same bytes were added before)'), 400: errorResponseDoc('unreadable, or nothing postable in it (the fix says what to add), or a refused address'), ...authResponses('propose') },
  }),
  draftWeek: createRoute({
    method: 'post', path: '/content/weeks', summary: 'Draft a week of posts from the library (next week by default); each post waits for the owner\'s approval, then publishes at its slot',
    ...scoped('propose'),
    request: { body: { content: { 'application/json': { schema: z.object({ week: Week.optional() }).strict() } }, required: true } },
    responses: { 201: json(WeekView, 'the drafted week'), 409: errorResponseDoc('that week is already drafted, or the library is empty'), ...authResponses('propose') },
  }),
  weeks: createRoute({
    method: 'get', path: '/content/weeks', summary: 'The drafted weeks, newest first', ...scoped('read'),
    responses: { 200: json(z.object({ weeks: z.array(z.object({ monday: z.string(), posts: z.number() })) }), 'weeks'), ...authResponses('read') },
  }),
  week: createRoute({
    method: 'get', path: '/content/weeks/{week}', summary: 'A drafted week by day and platform, with its ledger', ...scoped('read'),
    request: { params: z.object({ week: z.union([Week, z.literal('latest')]) }) },
    responses: { 200: json(WeekView, 'the week'), 404: errorResponseDoc('no such week drafted'), ...authResponses('read') },
  }),
  approveWeek: createRoute({
    method: 'post', path: '/content/weeks/{week}/approve', summary: 'Approve every post of the week still waiting (one sitting); each goes through the same checks as one decision', ...scoped('decide'),
    request: { params: z.object({ week: Week }) },
    responses: {
      200: json(z.object({
        results: z.array(Decided), decided: z.number().describe('approvals this call decided'), alreadyApproved: z.number().describe('approved before (or by a concurrent call): nothing done twice'),
        skippedNeedImage: z.number().describe('waiting posts skipped: their platform needs an image and none is attached'), stillDrafting: z.number().describe('posts whose approval is not created yet'), message: z.string(),
      }), 'one result per waiting post'),
      404: errorResponseDoc('no such week'), ...authResponses('decide'),
    },
  }),
  attachImage: createRoute({
    method: 'post', path: '/content/posts/{id}/image', summary: 'Attach (or replace) the image of a post not yet published (https, public host); Instagram posts need one before approval', ...scoped('decide'),
    request: { params: PostParam, body: { content: { 'application/json': { schema: z.object({ url: z.string().min(1).max(2000) }).strict() } }, required: true } },
    responses: { 200: json(z.object({ id: z.string(), imageUrl: z.string() }), 'attached'), 400: errorResponseDoc('not an https URL of a public host (image_url_refused)'), 404: errorResponseDoc('no such post'), 409: errorResponseDoc('the post is already published, rejected, expired or failed'), ...authResponses('decide') },
  }),
  editPost: createRoute({
    method: 'post', path: '/content/posts/{id}/edit', summary: 'Edit one post and approve it; the edit must keep the platform\'s rules and the voice', ...scoped('decide'),
    request: { params: PostParam, body: { content: { 'application/json': { schema: z.object({ text: z.string().min(1).max(63206) }).strict() } }, required: true } },
    responses: { 200: json(Decided, 'approved with the edit'), 400: errorResponseDoc('the edit breaks a platform rule (each listed), or the post needs an image first (needs_image)'), 404: errorResponseDoc('no such post'), 409: errorResponseDoc('the post is not waiting for approval'), ...authResponses('decide') },
  }),
  rejectPost: createRoute({
    method: 'post', path: '/content/posts/{id}/reject', summary: 'Reject one post with a reason; the next week learns from it (shorter, no hashtags, a quoted phrase banned…)', ...scoped('decide'),
    request: { params: PostParam, body: { content: { 'application/json': { schema: z.object({ reason: z.string().min(1).max(1000) }).strict() } }, required: true } },
    responses: { 200: json(Decided, 'rejected'), 404: errorResponseDoc('no such post'), 409: errorResponseDoc('the post is not waiting for approval'), ...authResponses('decide') },
  }),
  exportWeek: createRoute({
    method: 'get', path: '/content/weeks/{week}/export', summary: 'The week as an ICS calendar, or one platform\'s posts as a Buffer bulk-upload CSV', ...scoped('read'),
    request: { params: z.object({ week: Week }), query: z.object({ format: z.enum(['ics', 'buffer']), platform: Platform.optional().describe('required for buffer') }) },
    responses: { 200: { content: { 'text/calendar': { schema: z.string() }, 'text/csv': { schema: z.string() } }, description: 'the file' }, 400: errorResponseDoc('buffer without a platform'), 404: errorResponseDoc('no such week'), ...authResponses('read') },
  }),
};

/**
 * The content engine's API under `/api/v1`: sources and weeks (propose), the week's view and its
 * exports (read), and the owner's decisions (decide): approve the whole week, edit one, reject
 * one with a reason, attach an image. Decisions go through `decidePost` / `approveWeek` (`decideApproval`) (separation of duties: an API caller
 * that drafted the week cannot approve it) and are handed to each post's run.
 */
export function contentRoutes(s: Services) {
  const app = openApiApp(s, 'Send the JSON body the OpenAPI document at /openapi.json describes for /content.');
  const who = (c: Context<{ Variables: Vars }>): Decider => ({ tenantId: c.get('tenantId'), actor: c.get('actor'), principalId: c.get('principal').id, now: s.clock.now() });
  const decide = (c: Context<{ Variables: Vars }>, postId: string, d: { decision: 'approved' | 'rejected'; edits?: { body: string }; reason?: string }) => decidePost(s.db, s.host, who(c), postId, d);

  app.openapi(routes.addSource, async (c) => {
    const body = c.req.valid('json');
    const given = [body.text, body.base64, body.url].filter((x) => x !== undefined).length;
    if (given !== 1) throw new InputError('send the source as "text", "base64" or "url", one of them', { fix: 'Markdown, HTML and text: "text" (with "name"); PDF and DOCX: "base64" (with "name"); a web page: "url".' });
    const tenant = s.tenants.get(c.get('tenantId'));
    if (body.url !== undefined) {
      const page = await readUrlSource(cleanDeep(body.url));
      return c.json(await addSource(s.db, tenant, page.name, Buffer.from(page.text, 'utf8'), c.get('actor')), 201);
    }
    if (!body.name) throw new InputError('a file needs its "name"', { fix: 'Send "name" with its extension (notes.md, post.html, talk.pdf): it gives the format.' });
    const bytes = body.text !== undefined ? Buffer.from(cleanDeep(body.text), 'utf8') : Buffer.from(body.base64!, 'base64');
    const r = await addSource(s.db, tenant, cleanDeep(body.name), bytes, c.get('actor'));
    return c.json(r, 201);
  });
  app.openapi(routes.draftWeek, async (c) => {
    const body = c.req.valid('json');
    const t = c.get('tenantId');
    const p = c.get('principal');
    // A person asking AIOS to draft is not the proposer (AIOS writes the posts); a machine caller is.
    const d = await draftWeek(s.db, s.host, s.tenants.get(t), { monday: body.week, requestedBy: c.get('actor'), proposerPrincipalId: p.kind === 'user' ? null : p.id, now: s.clock.now() });
    return c.json(await weekView(s.db, t, d.monday), 201);
  });
  app.openapi(routes.weeks, async (c) => c.json({ weeks: await listWeeks(s.db, c.get('tenantId')) }, 200));
  app.openapi(routes.week, async (c) => {
    const w = c.req.valid('param').week;
    return c.json(await weekView(s.db, c.get('tenantId'), w === 'latest' ? null : w), 200);
  });
  app.openapi(routes.approveWeek, async (c) => c.json(await approveWeek(s.db, s.host, who(c), c.req.valid('param').week), 200));
  app.openapi(routes.attachImage, async (c) => {
    const id = c.req.valid('param').id;
    return c.json({ id, imageUrl: await attachImage(s.db, who(c), id, cleanDeep(c.req.valid('json').url)) }, 200);
  });
  app.openapi(routes.editPost, async (c) => {
    const id = c.req.valid('param').id;
    const text = cleanDeep(c.req.valid('json').text).trim();
    const t = c.get('tenantId');
    const post = await s.db.selectFrom('content_posts').select(['platform', 'cta', 'image_note', 'image_required']).where('tenant_id', '=', t).where('id', '=', id).executeTakeFirst();
    if (!post) throw new NotFoundError('post', id);
    const problems = checkPost({ text, cta: post.cta, imageNote: post.image_note, imageRequired: post.image_required }, PLATFORM_RULES[post.platform], (await readVoiceNotes(s.db, t)).banned);
    if (problems.length) throw new InputError(`the edit breaks ${PLATFORM_RULES[post.platform].label}'s rules: ${problems.map((p) => p.detail).join('; ')}`, { fix: 'Change the text so that each rule holds, then send it again; nothing was decided.' });
    return c.json(await decide(c, id, { decision: 'approved', edits: { body: text } }), 200);
  });
  app.openapi(routes.rejectPost, async (c) => {
    const reason = cleanDeep(c.req.valid('json').reason).trim();
    if (!reason) throw new InputError('a rejection needs a reason', { fix: 'Say why (e.g. "too long", "no hashtags", never say "cheap"): the next week learns from it.' });
    return c.json(await decide(c, c.req.valid('param').id, { decision: 'rejected', reason }), 200);
  });
  app.openapi(routes.exportWeek, async (c) => {
    const { week } = c.req.valid('param');
    const { format, platform } = c.req.valid('query');
    const view = await weekView(s.db, c.get('tenantId'), week);
    if (format === 'ics') return c.body(weekIcs(view, s.clock.now()), 200, { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="aios-posts-${view.monday}.ics"` });
    if (!platform) throw new InputError('a Buffer export is per platform', { fix: `Add ?platform= one of ${PLATFORMS.join(', ')} (Buffer takes one file per channel).` });
    return c.body(weekBufferCsv(view, platform), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="buffer-${platform}-${view.monday}.csv"` });
  });
  return app;
}
