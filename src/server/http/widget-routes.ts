import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AiosError, InputError } from '../../core/errors.js';
import { FormsFileCache } from '../../connection/forms/forms-file.js';
import { parseBody, parseLead } from '../../connection/forms/lead-input.js';
import { answerQuestion } from '../../knowledge/answer.js';
import { intakeLead, leadDedupKey } from '../lead-intake.js';
import { cleanDeep, rawIfCleaned } from '../../core/clean-text.js';
import { RateLimiter, type Quota } from './rate-limit.js';
import type { Services } from './services.js';
import { LeadFieldsSchema, PublicErrorSchema, SlugParam, handlerReadBody, publicJson } from './schemas/public.js';

/** An answer as the widget shows it. `citations` carry at least a title-like field. */
export interface WidgetAnswer {
  status: 'answered' | 'unknown';
  text: string;
  citations: Array<{ title?: string; headingPath?: string; file?: string }>;
}

/** Answers a visitor's question from the tenant's knowledge (default: `knowledge/answer.ts`, offline). */
export type WidgetAnswerFn = (tenantId: string, question: string) => Promise<WidgetAnswer>;

/** Quotas of the public widget endpoints. */
export interface WidgetLimits {
  askPerIp: Quota;
  askPerTenant: Quota;
  leadPerIp: Quota;
  leadPerTenant: Quota;
}

/** 10 questions a minute and 3 leads per 10 minutes per visitor IP (per business); tenant-wide caps. */
export const DEFAULT_WIDGET_LIMITS: WidgetLimits = {
  askPerIp: { capacity: 10, windowMs: 60_000 },
  askPerTenant: { capacity: 300, windowMs: 60_000 },
  leadPerIp: { capacity: 3, windowMs: 600_000 },
  leadPerTenant: { capacity: 100, windowMs: 600_000 },
};

/**
 * The knowledge audience of website visitors: the widget answers only from files without an
 * `audience:` or with `audience: customers` (never from staff-only notes).
 */
export const WIDGET_AUDIENCE = 'customers';

/** Longest question accepted, in characters. */
export const MAX_QUESTION_CHARS = 500;
/** Largest body of `/widget/:slug/ask`, in bytes. */
export const ASK_MAX_BYTES = 4 * 1024;
/** Largest body of `/widget/:slug/lead`, in bytes. */
export const LEAD_MAX_BYTES = 16 * 1024;

/** Options of {@link widgetRoutes}; tests inject a fake `answer`, small `limits`, a fixed `clientIp`. */
export interface WidgetRouteOptions {
  answer?: WidgetAnswerFn;
  limits?: Partial<WidgetLimits>;
  /** The visitor's address for rate limits (default: the TCP peer; behind a proxy, read its header here). */
  clientIp?: (c: Context) => string;
  formsFiles?: FormsFileCache;
  /** The widget script's source (default: `web/widget/widget.js`, read once now). */
  script?: string;
}

/** Path of the widget script in the source tree. */
export const WIDGET_SCRIPT_PATH = fileURLToPath(new URL('../../../web/widget/widget.js', import.meta.url));

function loadScript(): string {
  try {
    return readFileSync(WIDGET_SCRIPT_PATH, 'utf8');
  } catch (err) {
    throw new AiosError('widget_script_missing', `cannot read the widget script ${WIDGET_SCRIPT_PATH}`, { cause: err, fix: 'Reinstall AIOS: web/widget/widget.js ships with it.' });
  }
}

function peer(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The embeddable website widget: `GET /widget.js` (the script), and two public endpoints it calls,
 * `POST /widget/:slug/ask` `{question}` → `{status, answer, citations:[{title}]}` and
 * `POST /widget/:slug/lead` `{name, phone|email, message, page?}` → 201 `{status:'stored'}` (stored
 * exactly like a signed form lead, source `widget`). No secret is involved, so both endpoints are
 * rate-limited per visitor IP and per tenant (429 with `Retry-After` seconds), size-capped (413),
 * and answer any origin without credentials (CORS). `forms.yaml` `widget.enabled: false` turns
 * them off for a tenant (404). Text fields lose control characters and invalid code points
 * (`core/clean-text.ts`); a cleaned lead's event keeps the raw body as base64 in `payload.raw`.
 */
export function widgetRoutes(s: Services, opts: WidgetRouteOptions = {}): OpenAPIHono {
  const app = new OpenAPIHono();
  const script = opts.script ?? loadScript();
  const limits = { ...DEFAULT_WIDGET_LIMITS, ...opts.limits };
  const files = opts.formsFiles ?? new FormsFileCache();
  const clientIp = opts.clientIp ?? peer;
  const limiter = new RateLimiter();
  const answer: WidgetAnswerFn = opts.answer ?? ((tenantId, question) => answerQuestion(s.db, tenantId, question, { audience: WIDGET_AUDIENCE }));
  let requests = 0;

  app.openapi(createRoute({
    method: 'get', path: '/widget.js', summary: 'The embeddable lead form and chat widget (one <script> tag, data-business="<slug>")',
    responses: { 200: { content: { 'application/javascript': { schema: z.string() } }, description: 'the script (cached 5 minutes)' } },
  }), (c) =>
    c.body(script, 200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' }),
  );

  app.use('/widget/:slug/*', cors({ origin: '*', allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['Content-Type'], exposeHeaders: ['Retry-After'], maxAge: 600, credentials: false }));

  const tooLarge = (max: number) =>
    bodyLimit({ maxSize: max, onError: (c) => c.json({ error: 'too_large', message: `body over ${max} bytes`, fix: 'Shorten the text.' }, 413) });

  /** Tenant, widget switch and quota; a Response when the request must stop here. */
  const admit = (c: Context, kind: 'ask' | 'lead') => {
    const tenant = s.tenants.bySlugOrThrow(c.req.param('slug') ?? '');
    if (!files.get(tenant.dir).widget.enabled) {
      return { stop: c.json({ error: 'widget_disabled', message: `the website widget is off for "${tenant.slug}"`, fix: `The owner can set widget.enabled: true in tenants/${tenant.slug}/forms.yaml.` }, 404) };
    }
    if (++requests % 1000 === 0) limiter.sweep(Math.max(...Object.values(limits).map((q) => q.windowMs)));
    const ip = clientIp(c);
    const [perIp, perTenant] = kind === 'ask' ? [limits.askPerIp, limits.askPerTenant] : [limits.leadPerIp, limits.leadPerTenant];
    const r = limiter.takeAll([[`${kind}:ip:${tenant.id}:${ip}`, perIp], [`${kind}:tenant:${tenant.id}`, perTenant]]);
    if (!r.ok) {
      s.log.warn({ tenant: tenant.slug, ip, kind }, 'widget rate limit');
      c.header('Retry-After', String(r.retryAfterSeconds));
      return { stop: c.json({ error: 'rate_limited', message: `too many ${kind === 'ask' ? 'questions' : 'requests'}; try again in ${r.retryAfterSeconds} s`, fix: 'Wait and try again.' }, 429) };
    }
    return { tenant };
  };

  const err = (d: string) => publicJson(PublicErrorSchema, d);
  const refusals = { 400: err('invalid field'), 404: err('unknown business, or the widget is off'), 413: err('body too large'), 429: err('rate limited (Retry-After)') };
  app.openapi(createRoute({
    method: 'post', path: '/widget/{slug}/ask', summary: 'Public, rate-limited: answer a visitor question from customer-facing knowledge', middleware: [tooLarge(ASK_MAX_BYTES)],
    request: { params: SlugParam, body: handlerReadBody(z.object({ question: z.string().max(MAX_QUESTION_CHARS) }), ['application/json', 'application/x-www-form-urlencoded']) },
    responses: {
      200: publicJson(z.object({ status: z.enum(['answered', 'unknown']), answer: z.string(), citations: z.array(z.object({ title: z.string() })) }), 'the answer, or unknown (the owner is told)'),
      ...refusals,
    },
  }), async (c) => {
    const a = admit(c, 'ask');
    if (a.stop) return a.stop;
    const body = cleanDeep(parseBody(await c.req.text(), c.req.header('content-type') ?? '')) as { question?: unknown } | null;
    const q = typeof body?.question === 'string' ? body.question.trim() : '';
    if (!q) throw new InputError('question: must be a non-empty string', { fix: 'Send {"question": "…"}.' });
    if (q.length > MAX_QUESTION_CHARS) throw new InputError(`question: must be at most ${MAX_QUESTION_CHARS} characters`, { fix: 'Ask a shorter question.' });
    const out = await answer(a.tenant.id, q);
    const titles = [...new Set(out.citations.map((x) => x.title || x.headingPath || x.file || '').filter(Boolean))];
    return c.json({ status: out.status, answer: out.text, citations: titles.map((title) => ({ title })) }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/widget/{slug}/lead', summary: 'Public, rate-limited: a visitor leaves name and phone or email', middleware: [tooLarge(LEAD_MAX_BYTES)],
    request: { params: SlugParam, body: handlerReadBody(LeadFieldsSchema.extend({ hp_url: z.string().optional().openapi({ description: 'honeypot: left empty by people' }) }), ['application/json', 'application/x-www-form-urlencoded']) },
    responses: {
      201: publicJson(z.object({ status: z.literal('stored') }), 'stored'), 200: publicJson(z.object({ status: z.literal('duplicate') }), 'the same lead again'),
      ...refusals,
    },
  }), async (c) => {
    const a = admit(c, 'lead');
    if (a.stop) return a.stop;
    const rawBody = await c.req.text();
    const parsed = parseBody(rawBody, c.req.header('content-type') ?? '');
    const body = cleanDeep(parsed);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputError('the body must be a JSON object', { fix: 'Send {"name", "phone" or "email", "message"}.' });
    const fields = body as Record<string, unknown>;
    // Honeypot: a hidden field people never fill; a bot that fills it gets a quiet "stored" and nothing is kept.
    if (typeof fields.hp_url === 'string' && fields.hp_url) return c.json({ status: 'stored' as const }, 201);
    const lead = parseLead({ ...fields, source: 'widget' }, { source: 'widget', businessPhone: a.tenant.phone });
    lead.extra = {};
    const res = await intakeLead(s, a.tenant, lead, leadDedupKey('widget', lead), rawIfCleaned(rawBody, body !== parsed));
    return res.duplicate ? c.json({ status: 'duplicate' as const }, 200) : c.json({ status: 'stored' as const }, 201);
  });

  return app;
}
