import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoped, authResponses } from './openapi-app.js';
import type { Services, Vars } from './services.js';
import { audit } from '../../records/audit.js';
import { setPassword, verifyPassword, PASSWORD_MAX_LENGTH } from '../../records/passwords.js';
import { ForbiddenError } from '../../core/forbidden-error.js';
import { InputError } from '../../core/errors.js';
import { cleanDeep } from '../../core/clean-text.js';
import { issuesText } from './json-body.js';

const ErrorBody = z.object({ error: z.string(), message: z.string(), fix: z.string().optional() });

/**
 * `PUT /me/password` (read: every person may change their own, staff included): needs the current
 * password, so a borrowed unlocked browser cannot take the account over. The caller's other
 * sessions end; the one it came from stays. Tokens and machine principals are refused (403).
 */
export function accountRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>({
    defaultHook: (r, c) => {
      if (!r.success) return c.json({ error: 'bad_input', message: `body: ${issuesText(r.error)}`, fix: 'Send {"current": "your password now", "password": "the new one, 10+ characters"}.' }, 400);
    },
  });
  app.openapi(createRoute({
    method: 'put', path: '/me/password', summary: 'Change your own dashboard password (needs the current one)', ...scoped('read'),
    request: { body: { content: { 'application/json': { schema: z.object({ current: z.string().max(PASSWORD_MAX_LENGTH + 1), password: z.string().max(1024) }).strict() } }, required: true } },
    responses: { ...authResponses('read'),
      200: { content: { 'application/json': { schema: z.object({ changed: z.literal(true), loggedOut: z.string() }) } }, description: 'changed; the other sessions ended' },
      400: { content: { 'application/json': { schema: ErrorBody } }, description: 'wrong current password or too short a new one' },
      403: { content: { 'application/json': { schema: ErrorBody } }, description: 'not a person (a token of an assistant or integration)' },
    },
  }), async (c) => {
    const p = c.get('principal');
    if (p.kind !== 'user') throw new ForbiddenError('only a person has a dashboard password', 'Log in to the dashboard as the person whose password it is.');
    // Cleaned as every other JSON body is (so a password set through `PUT /users/:id/password` matches).
    const b = cleanDeep(c.req.valid('json'));
    const me = await s.db.selectFrom('principals').select('email').where('id', '=', p.id).executeTakeFirst();
    const ok = me?.email ? await verifyPassword(s.db, me.email, b.current) : null;
    if (!ok || ok.id !== p.id) throw new InputError('the current password is not right', { fix: 'Type the password you logged in with; if it is lost, the owner can set a new one.' });
    await setPassword(s.db, p.id, b.password, s.clock.now(), { keepSession: p.tokenId });
    await audit(s.db, c.get('tenantId'), c.get('actor'), 'user.password_changed', p.id, {});
    return c.json({ changed: true as const, loggedOut: 'your other sessions' }, 200);
  });
  return app;
}
