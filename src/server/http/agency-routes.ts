import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseBody, scoped } from './openapi-app.js';
import { AgencyBusinessSchema, AgencyListSchema, CreatedBusinessSchema, NewBusinessBody, RefusedBusinessSchema, TemplateSchema } from './schemas/agency.js';
import { IdParam } from './schemas/common.js';
import { userBusinesses } from '../../records/sessions.js';
import { agencyOverview } from '../../leverage/agency/agency-overview.js';
import { listTemplates } from '../agency/templates.js';
import { cloneBusiness, createFromTemplate } from '../agency/business-create.js';
import { BusinessRefused, type CreateDeps } from '../agency/business-folder.js';
import { ForbiddenError } from '../../core/forbidden-error.js';
import { InputError } from '../../core/errors.js';
import type { UserRole } from '../../records/scopes.js';

/** Roles that see a business in the agency view and may clone it. */
const AGENCY_ROLES: readonly UserRole[] = ['owner', 'implementer'];
const NEW_BODY = '{"template": "plumber" | "cloneFrom": "<slug>", "name", "slug", "phone", "timeZone", "ownerName", "ownerEmail"?}';

const listRoute = createRoute({
  method: 'get', path: '/agency/businesses', summary: 'Every business you are owner or implementer of: usage, AI cost, hours saved, money recovered, ROI, connections, approvals, signals',
  ...scoped('read'),
  responses: { 200: jsonResponse(AgencyListSchema, 'one row per business (staff memberships are left out)'), ...authResponses('read') },
});
const oneRoute = createRoute({
  method: 'get', path: '/agency/businesses/{id}', summary: 'One business of the agency view (by id or slug); 404 for a business you are not owner or implementer of',
  ...scoped('read'), request: { params: IdParam },
  responses: { 200: jsonResponse(z.object({ business: AgencyBusinessSchema }), 'the row'), 404: errorResponseDoc('not one of your businesses'), ...authResponses('read') },
});
const templatesRoute = createRoute({
  method: 'get', path: '/agency/templates', summary: 'Templates a new business can start from',
  ...scoped('read'),
  responses: { 200: jsonResponse(z.object({ templates: z.array(TemplateSchema) }), 'shipped templates'), ...authResponses('read') },
});
const createRouteDef = createRoute({
  method: 'post', path: '/agency/businesses', summary: 'Create a business from a template or a clone of one of yours; you become its implementer. All or nothing',
  ...scoped('admin'),
  request: { body: jsonBody(NewBusinessBody) },
  responses: {
    201: jsonResponse(CreatedBusinessSchema, 'created and loaded (no restart needed)'),
    400: jsonResponse(RefusedBusinessSchema, 'a field is missing, or the template / source files do not validate (file and field named): nothing created'),
    404: errorResponseDoc('no such template, or the business to clone is not one of yours'),
    409: errorResponseDoc('the short name is taken'),
    ...authResponses('admin'),
  },
});

/** The caller must be a person; assistants and integrations have no agency view. */
function person(c: Context<{ Variables: Vars }>): string {
  const p = c.get('principal');
  if (p.kind !== 'user') throw new ForbiddenError('the agency view is for people, not for assistants or integrations', 'Log in to the dashboard, or use a user\'s token (`aios token create` as a user).');
  return p.id;
}

async function agencyMembers(s: Services, principalId: string) {
  return (await userBusinesses(s.db, principalId)).filter((b) => AGENCY_ROLES.includes(b.role));
}

/**
 * The agency console under `/api/v1`: `GET /agency/businesses` (read; rows only for businesses
 * where the caller is owner or implementer: staff see nothing of a business here, and a user who
 * is only staff gets 403), `GET /agency/businesses/{id}` (404 for any other business, never 403:
 * a foreign id is not confirmed), `GET /agency/templates`, and `POST /agency/businesses` (admin in
 * the current business, i.e. owner or implementer; a clone also needs owner or implementer in the
 * source business, else 404).
 */
export function agencyRoutes(s: Services) {
  const app = openApiApp(s, `POST /api/v1/agency/businesses with ${NEW_BODY}.`);
  const overview = async (principalId: string, members: Awaited<ReturnType<typeof agencyMembers>>) =>
    agencyOverview(s.db, members, {
      now: s.clock.now(),
      tenant: (id) => s.tenants.all().find((t) => t.id === id),
      twilioConfigured: !!(s.config.twilio.accountSid && s.config.twilio.authToken),
      smtpConfigured: !!s.config.smtp,
    });

  app.openapi(listRoute, async (c) => {
    const t0 = performance.now();
    const members = await agencyMembers(s, person(c));
    if (!members.length) throw new ForbiddenError('the agency view shows businesses you own or set up; you are staff in yours', 'Open Today for your business; an owner can make you implementer (aios user add --role implementer).');
    const businesses = await overview(c.get('principal').id, members);
    return c.json({ businesses, ms: Math.round((performance.now() - t0) * 10) / 10 }, 200);
  });

  app.openapi(oneRoute, async (c) => {
    const key = c.req.valid('param').id;
    const members = (await agencyMembers(s, person(c))).filter((b) => b.tenantId === key || b.slug === key);
    if (!members.length) throw new InputError(`no business "${key.slice(0, 60)}" among yours`, { status: 404, code: 'not_found', fix: 'List yours with GET /api/v1/agency/businesses.' });
    const [business] = await overview(c.get('principal').id, members);
    return c.json({ business: business! }, 200);
  });

  app.openapi(templatesRoute, (c) => c.json({ templates: listTemplates().map(({ id, title, description, knowledge }) => ({ id, title, description, knowledge })) }, 200));

  app.openapi(createRouteDef, async (c) => {
    const creator = person(c);
    const b = c.req.valid('json');
    if (!!b.template === !!b.cloneFrom) throw new InputError('give either template or cloneFrom', { fix: `Send ${NEW_BODY}; GET /api/v1/agency/templates lists the templates.` });
    const deps: CreateDeps = { db: s.db, log: s.log, tenants: s.tenants, playbooks: s.host.playbooks(), home: s.config.home, now: () => s.clock.now() };
    try {
      let created;
      if (b.template) {
        if (!b.ownerName || !b.timeZone) throw new InputError('ownerName and timeZone are required for a new business', { fix: 'Give the owner\'s name and the time zone, e.g. "timeZone": "America/Toronto".' });
        created = await createFromTemplate(deps, b.template, { name: b.name, slug: b.slug, phone: b.phone, timeZone: b.timeZone, ownerName: b.ownerName, ownerEmail: b.ownerEmail }, creator);
      } else {
        const key = b.cloneFrom!;
        const member = (await userBusinesses(s.db, creator)).find((m) => m.tenantId === key || m.slug === key);
        if (!member) throw new InputError(`no business "${key.slice(0, 60)}" among yours`, { status: 404, code: 'not_found', fix: 'Clone one of your businesses: GET /api/v1/agency/businesses lists them.' });
        if (!AGENCY_ROLES.includes(member.role)) throw new ForbiddenError(`you are staff in ${member.slug}: only its owner or implementer may copy its setup`, 'Ask its owner to clone it, or to make you implementer.');
        const source = s.tenants.get(member.tenantId);
        if (!b.ownerName) throw new InputError('ownerName is required: the owner of the new business is asked for, never copied', { fix: 'Give the new owner\'s name (and ownerEmail for their login).' });
        created = await cloneBusiness(deps, source, { name: b.name, slug: b.slug, phone: b.phone, timeZone: b.timeZone ?? source.timeZone, ownerName: b.ownerName, ownerEmail: b.ownerEmail }, creator);
      }
      return c.json({ business: { tenantId: created.id, slug: created.slug, name: created.name }, from: { template: b.template ?? null, cloneFrom: b.cloneFrom ?? null } }, 201);
    } catch (err) {
      if (err instanceof BusinessRefused) return c.json({ error: err.code, message: err.message, fix: err.fix, file: err.file, problems: [...err.problems] }, 400);
      throw err;
    }
  }, refuseBody(NEW_BODY));
  return app;
}
