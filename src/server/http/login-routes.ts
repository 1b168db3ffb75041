import { Hono, type Context } from 'hono';
import { setCookie, deleteCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import type { Services } from './services.js';
import { readBody } from './json-body.js';
import { errorResponse } from './errors.js';
import { verifyPassword } from '../../records/passwords.js';
import { createSession, revokeSession, switchSessionTenant, userBusinesses, SESSION_MAX_AGE_MS, type SessionView } from '../../records/sessions.js';
import { clearFailures, loginDelayMs, recentFailures, recordFailure, LOGIN_LOCKOUT_AFTER } from '../../records/login-failures.js';
import { checkSession, sessionSecret, SECURE_SESSION_COOKIE, SESSION_COOKIE, CSRF_HEADER } from './session-auth.js';

const LoginBody = z.object({ email: z.string().max(254), password: z.string().max(1024), business: z.string().max(120).optional() }).strict();
const SwitchBody = z.object({ tenantId: z.string().max(120) }).strict();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peer(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Dashboard login, under `/auth` (JSON in and out):
 * - `POST /auth/login` `{email, password, business?}` → sets the session cookie and answers the
 *   session (user, current business, the user's businesses, `csrf`). A wrong email or password
 *   gets one generic 401 after a delay that doubles per recent failure of that email or address
 *   (`records/login-failures.ts`); from 20 failures in 15 minutes, 429 with Retry-After.
 * - `GET /auth/session` → the session, or 401.
 * - `POST /auth/switch` `{tenantId}` → acts on another of the user's businesses (403 if not theirs).
 * - `POST /auth/logout` → ends the session.
 * Changes other than login need the session's CSRF token in `X-AIOS-CSRF` (`session-auth.ts`).
 */
export function loginRoutes(s: Services): Hono {
  const app = new Hono();
  app.onError((err, c) => errorResponse(c, err, s.log, 'public'));
  const secure = () => s.publicUrl().startsWith('https://');

  async function describe(v: { principalId: string; name: string; email: string | null; tenantId: string; csrf: string }) {
    const businesses = await userBusinesses(s.db, v.principalId);
    const current = businesses.find((b) => b.tenantId === v.tenantId);
    return { user: { id: v.principalId, name: v.name, email: v.email }, business: current ?? null, businesses, csrf: v.csrf, csrfHeader: CSRF_HEADER };
  }

  app.post('/login', async (c) => {
    if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
      return c.json({ error: 'bad_input', message: 'send the login as JSON', fix: 'POST {"email": "…", "password": "…"} with Content-Type: application/json.' }, 415);
    }
    const body = await readBody(c.req, LoginBody, '{"email": "…", "password": "…", "business"?: "slug"}');
    const now = s.clock.now();
    const keys = [`email:${body.email.trim().toLowerCase()}`, `ip:${peer(c)}`];
    const before = await recentFailures(s.db, keys, now);
    if (before.failures >= LOGIN_LOCKOUT_AFTER) {
      c.header('Retry-After', String(Math.ceil(before.retryAfterMs / 1000)));
      return c.json({ error: 'rate_limited', message: 'too many failed logins', fix: `Wait ${Math.ceil(before.retryAfterMs / 60_000)} minutes, then try again; the owner can set a new password with \`aios user password\`.` }, 429);
    }
    await sleep(loginDelayMs(before.failures));
    const user = await verifyPassword(s.db, body.email, body.password);
    const businesses = user ? await userBusinesses(s.db, user.id) : [];
    const chosen = body.business ? businesses.find((b) => b.slug === body.business || b.tenantId === body.business) : businesses[0];
    if (!user || !chosen) {
      await recordFailure(s.db, keys, now);
      return c.json({ error: 'login_failed', message: 'that email and password do not match', fix: 'Check both and try again; the owner can set a new password with `aios user password EMAIL`.' }, 401);
    }
    await clearFailures(s.db, [keys[0]!]);
    const session = await createSession(s.db, { principalId: user.id, tenantId: chosen.tenantId, now });
    setCookie(c, secure() ? SECURE_SESSION_COOKIE : SESSION_COOKIE, session.secret, { httpOnly: true, sameSite: 'Lax', secure: secure(), path: '/', maxAge: Math.floor(SESSION_MAX_AGE_MS / 1000) });
    s.log.info({ user: user.id, tenant: chosen.tenantId }, 'dashboard login');
    return c.json(await describe({ principalId: user.id, name: user.name, email: user.email, tenantId: chosen.tenantId, csrf: session.csrf }));
  });

  /** The live session of this request, or the 401/403 answer to send. */
  async function current(c: Context): Promise<{ secret: string; session: SessionView } | Response> {
    const secret = sessionSecret(c);
    if (!secret) return c.json({ error: 'unauthorized', message: 'not logged in', fix: 'Log in at the dashboard.' }, 401);
    const r = await checkSession(c, s.db, s.clock, secret);
    if ('refusal' in r) return c.json(r.refusal, r.refusal.error === 'session_invalid' ? 401 : 403);
    return { secret, session: r.session };
  }

  app.get('/session', async (c) => {
    const r = await current(c);
    if (r instanceof Response) return r;
    c.header('Cache-Control', 'no-store');
    return c.json(await describe(r.session));
  });

  app.post('/switch', async (c) => {
    const r = await current(c);
    if (r instanceof Response) return r;
    const body = await readBody(c.req, SwitchBody, '{"tenantId": "…"}');
    if (!(await switchSessionTenant(s.db, r.secret, body.tenantId))) {
      return c.json({ error: 'forbidden', message: 'you are not a user of that business', fix: 'Pick one of the businesses listed in GET /auth/session.' }, 403);
    }
    return c.json(await describe({ ...r.session, tenantId: body.tenantId }));
  });

  app.post('/logout', async (c) => {
    const r = await current(c);
    if (r instanceof Response) return r;
    await revokeSession(s.db, r.secret, s.clock.now());
    deleteCookie(c, secure() ? SECURE_SESSION_COOKIE : SESSION_COOKIE, { path: '/', secure: secure() });
    return c.json({ loggedOut: true });
  });

  return app;
}
