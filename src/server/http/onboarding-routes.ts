import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoped, authResponses } from './openapi-app.js';
import { join } from 'node:path';
import type { Services, Vars } from './services.js';
import { InputError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import { guardFetch } from '../../connection/framework/guarded-fetch.js';
import { ConnectorError } from '../../connection/framework/connector-error.js';
import { importWebsite } from '../../knowledge/website/import-website.js';
import { CRAWL_DEFAULTS } from '../../knowledge/website/crawl.js';
import { onboardingChecklist, ONBOARDING_STEPS } from '../onboarding/checklist.js';

const ErrorBody = z.object({ error: z.string(), message: z.string(), fix: z.string() }).openapi('OnboardingError');
const errors = {
  400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad input, or an address this instance refuses (the fix says what to do)' },
  401: { content: { 'application/json': { schema: ErrorBody } }, description: 'no valid token or session' },
  403: { content: { 'application/json': { schema: ErrorBody } }, description: 'lacks the admin scope' },
} as const;

const CrawlBody = z
  .object({
    url: z.string().min(1).max(2000).openapi({ example: 'https://example.com/sitemap.xml', description: 'the website (start page) or its sitemap.xml' }),
    maxPages: z.number().int().min(1).max(CRAWL_DEFAULTS.maxPagesCap).optional().openapi({ description: `pages read at most (default ${CRAWL_DEFAULTS.maxPages})` }),
  })
  .strict();

const CrawlResult = z
  .object({
    start: z.string(),
    mode: z.enum(['sitemap', 'links']),
    pages: z.array(z.object({ url: z.string(), file: z.string(), title: z.string(), status: z.enum(['added', 'unchanged']), cut: z.boolean() })),
    skipped: z.array(z.object({ url: z.string(), reason: z.string() })),
    robots: z.object({ found: z.boolean(), crawlDelayMs: z.number() }),
    stoppedBy: z.enum(['max_pages', 'time_budget']).nullable(),
    sync: z.record(z.string(), z.number()),
    failures: z.array(z.object({ file: z.string(), reason: z.string() })),
    ms: z.number(),
  })
  .openapi('WebsiteCrawl');

const Step = z.object({
  id: z.enum(ONBOARDING_STEPS),
  title: z.string(),
  done: z.boolean(),
  detail: z.string(),
  counts: z.record(z.string(), z.number()),
  command: z.string(),
  page: z.string(),
});
const Checklist = z
  .object({ business: z.object({ slug: z.string(), name: z.string() }), steps: z.array(Step), doneCount: z.number(), total: z.number(), next: z.enum(ONBOARDING_STEPS).nullable() })
  .openapi('OnboardingChecklist');


/**
 * Onboarding (under `/api/v1`, admin scope: setting the business up is the owner's or the
 * implementer's work): `GET /onboarding` the checklist; `POST /knowledge/website` reads the
 * business's website into its knowledge folder (through the instance's address policy: an
 * internal or metadata address is refused, redirects to another host are not followed).
 */
export function onboardingRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        return c.json({ error: 'bad_input', message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, fix: 'Send JSON like {"url": "https://example.com/", "maxPages": 50}.' }, 400);
      }
    },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/onboarding',
      summary: 'Onboarding checklist: what is set up, and the next step of each (command and page)',
      ...scoped('admin'),
      responses: { ...authResponses('admin'), 200: { content: { 'application/json': { schema: Checklist } }, description: 'the checklist' }, ...errors },
    }),
    async (c) => {
      const t = s.tenants.get(c.get('tenantId'));
      return c.json(await onboardingChecklist(s.db, t), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/knowledge/website',
      summary: "Read the business's website (sitemap or start page; same site only; robots.txt honoured) into its knowledge",
      ...scoped('admin'),
      request: { body: { content: { 'application/json': { schema: CrawlBody } }, required: true } },
      responses: { ...authResponses('admin'), 200: { content: { 'application/json': { schema: CrawlResult } }, description: 'pages added or unchanged, URLs skipped with the reason' }, ...errors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const t = s.tenants.get(c.get('tenantId'));
      if (!body.url.trim()) throw new InputError('url is empty', { fix: 'Give the address of the website, e.g. https://example.com/.' });
      let r: Awaited<ReturnType<typeof importWebsite>>;
      try {
        r = await importWebsite(s.db, t.id, join(t.dir, 'knowledge'), { url: body.url, maxPages: body.maxPages, fetch: guardFetch(), now: s.clock.now() });
      } catch (err) {
        // The address policy's refusal, or a site that cannot be reached, is about the URL given: 400 with the fix.
        if (err instanceof ConnectorError) throw new InputError(err.message, { code: err.code, fix: err.fix || 'Check the address and try again.' });
        throw err;
      }
      await audit(s.db, t.id, c.get('actor'), 'knowledge.website', r.start, { pages: r.pages.length, skipped: r.skipped.length });
      return c.json({ ...r, sync: { ...r.sync } }, 200);
    },
  );
  return app;
}
