import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoped, authResponses } from './openapi-app.js';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Context } from 'hono';
import type { Services, Vars } from './services.js';
import { audit } from '../../records/audit.js';
import { syncKnowledge } from '../../knowledge/index.js';
import { TenantFileRefused, writeTenantFile } from '../tenant-file-write.js';
import { readTenantTexts } from '../tenant-folder.js';
import { cleanDeep } from '../../core/clean-text.js';
import { issuesText } from './json-body.js';

/** Longest policy or voice text accepted (characters). */
export const SETTINGS_TEXT_MAX = 50_000;
/** The voice file, inside the business's knowledge folder: how AIOS writes for the business. */
export const VOICE_FILE = 'voice.md';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const Day = z.union([z.tuple([z.string().max(5), z.string().max(5)]), z.literal('closed')]).openapi({ description: '["08:00", "17:00"] (24-hour, business time zone) or "closed"' });
const Hours = z.object(Object.fromEntries(DAYS.map((d) => [d, Day])) as Record<(typeof DAYS)[number], typeof Day>).strict();
const Problem = z.object({ field: z.string(), problem: z.string() });
const ErrorBody = z.object({ error: z.string(), message: z.string(), fix: z.string().optional(), problems: z.array(Problem).optional() });
const SettingsView = z.object({
  business: z.object({ name: z.string(), slug: z.string(), timeZone: z.string() }),
  policy: z.object({ text: z.string(), file: z.string() }),
  hours: Hours.nullable(),
  voice: z.object({ text: z.string(), file: z.string() }),
  /** Whether this caller may change them (admin scope). */
  canEdit: z.boolean(),
});
const TextBody = z.object({ text: z.string().max(SETTINGS_TEXT_MAX) }).strict();

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const refusals = { 400: json(ErrorBody, 'refused: every problem listed, nothing changed'), 403: json(ErrorBody, 'lacks the admin scope (staff cannot change settings)') };

/**
 * Settings of the business (under `/api/v1`): `GET /settings` (read) shows the policy file, the
 * business hours (tenant.yaml `profile.hours`) and the voice file (`knowledge/voice.md`);
 * `PUT /settings/policy`, `/settings/hours`, `/settings/voice` change them (admin: owners and
 * implementers, never staff or assistants). Policy and hours pass the start-up validation before
 * anything is written: a refused change answers 400 with every problem, the file unchanged.
 * Each change is audited with who made it.
 */
export function settingsRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>({
    defaultHook: (r, c) => {
      if (!r.success) return c.json({ error: 'bad_input', message: `body: ${issuesText(r.error)}`, fix: 'Send the JSON body the OpenAPI document at /openapi.json describes.' }, 400);
    },
  });
  const tenantOf = (c: Context<{ Variables: Vars }>) => s.tenants.get(c.get('tenantId'));
  const voicePath = (dir: string) => join(dir, 'knowledge', VOICE_FILE);
  const refused = (c: Context<{ Variables: Vars }>, e: TenantFileRefused) =>
    c.json({ error: 'config_invalid', message: `${e.file} was not changed: ${e.problems.map((p) => `${p.field || '(root)'} ${p.problem}`).join('; ')}`, fix: e.fix, problems: [...e.problems] }, 400);

  app.openapi(createRoute({ method: 'get', path: '/settings', summary: 'The policy, business hours and voice of this business', ...scoped('read'), responses: { ...authResponses('read'), 200: json(SettingsView, 'the settings') } }), async (c) => {
    const t = tenantOf(c);
    const texts = readTenantTexts(t.dir);
    const vp = voicePath(t.dir);
    return c.json({
      business: { name: t.name, slug: t.slug, timeZone: t.timeZone },
      policy: { text: texts.policy ?? '', file: 'policy.yaml' },
      hours: (t.profile.hours ?? null) as z.infer<typeof Hours> | null,
      voice: { text: existsSync(vp) ? readFileSync(vp, 'utf8') : '', file: `knowledge/${VOICE_FILE}` },
      canEdit: c.get('principal').scopes.includes('admin'),
    }, 200);
  });

  app.openapi(createRoute({
    method: 'put', path: '/settings/policy', summary: 'Replace policy.yaml (validated as at start-up; refused: 400 with every problem, file unchanged)', ...scoped('admin'),
    request: { body: { content: { 'application/json': { schema: TextBody } }, required: true } },
    responses: { ...authResponses('admin'), 200: json(z.object({ policy: z.object({ text: z.string() }), changed: z.boolean() }), 'saved and in force for the next decision'), ...refusals },
  }), async (c) => {
    const t = tenantOf(c);
    // Control characters and invalid code points go, as in every JSON body (PostgreSQL refuses a NUL).
    const { text } = cleanDeep(c.req.valid('json'));
    try {
      const before = await writeTenantFile(s.tenants, s.host.playbooks(), t, 'policy', text);
      await audit(s.db, t.id, c.get('actor'), 'settings.policy', 'policy.yaml', { before: before.length, after: text.length });
      return c.json({ policy: { text }, changed: before !== text }, 200);
    } catch (e) {
      if (e instanceof TenantFileRefused) return refused(c, e);
      throw e;
    }
  });

  app.openapi(createRoute({
    method: 'put', path: '/settings/hours', summary: 'Set the business hours (tenant.yaml profile.hours; comments and the rest of the file kept)', ...scoped('admin'),
    request: { body: { content: { 'application/json': { schema: z.object({ hours: Hours }).strict() } }, required: true } },
    responses: { ...authResponses('admin'), 200: json(z.object({ hours: Hours }), 'saved'), ...refusals },
  }), async (c) => {
    const t = tenantOf(c);
    const { hours } = cleanDeep(c.req.valid('json'));
    const texts = readTenantTexts(t.dir);
    const doc = parseDocument(texts.tenant ?? '');
    if (!doc.has('profile') || doc.get('profile') === null) doc.set('profile', doc.createNode({}));
    const node = doc.createNode(Object.fromEntries(DAYS.map((d) => [d, hours[d]])));
    for (const item of (node as { items?: Array<{ value?: { flow?: boolean } }> }).items ?? []) if (item.value && typeof item.value === 'object') item.value.flow = true;
    doc.setIn(['profile', 'hours'], node);
    try {
      await writeTenantFile(s.tenants, s.host.playbooks(), t, 'tenant', doc.toString());
    } catch (e) {
      if (e instanceof TenantFileRefused) return refused(c, e);
      throw e;
    }
    await audit(s.db, t.id, c.get('actor'), 'settings.hours', 'tenant.yaml', { hours });
    return c.json({ hours: (s.tenants.get(t.id).profile.hours ?? hours) as z.infer<typeof Hours> }, 200);
  });

  app.openapi(createRoute({
    method: 'put', path: '/settings/voice', summary: 'Replace the voice file (knowledge/voice.md: how AIOS writes for the business); re-indexed at once', ...scoped('admin'),
    request: { body: { content: { 'application/json': { schema: TextBody } }, required: true } },
    responses: { ...authResponses('admin'), 200: json(z.object({ voice: z.object({ text: z.string(), file: z.string() }) }), 'saved and re-indexed'), ...refusals },
  }), async (c) => {
    const t = tenantOf(c);
    // Control characters and invalid code points go, as in every JSON body (PostgreSQL refuses a NUL).
    const { text } = cleanDeep(c.req.valid('json'));
    const dir = join(t.dir, 'knowledge');
    mkdirSync(dir, { recursive: true });
    const path = voicePath(t.dir);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
    await syncKnowledge(s.db, t.id, dir, { now: s.clock.now() });
    await audit(s.db, t.id, c.get('actor'), 'settings.voice', `knowledge/${VOICE_FILE}`, { length: text.length });
    return c.json({ voice: { text, file: `knowledge/${VOICE_FILE}` } }, 200);
  });

  return app;
}
