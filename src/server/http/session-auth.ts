import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../core/clock.js';
import { findSession, type SessionView } from '../../records/sessions.js';

/** The dashboard's session cookie (HttpOnly, SameSite=Lax; Secure and `__Host-` under https). */
export const SESSION_COOKIE = 'aios_session';
export const SECURE_SESSION_COOKIE = '__Host-aios_session';
/** The header every state-changing dashboard request carries: the session's CSRF token. */
export const CSRF_HEADER = 'x-aios-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session cookie's secret on this request, if any. */
export function sessionSecret(c: Context): string | undefined {
  return getCookie(c, SECURE_SESSION_COOKIE) ?? getCookie(c, SESSION_COOKIE);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Why a cookie-authenticated request is refused (403), or null when it may go on. */
export type SessionRefusal = { error: 'session_invalid' | 'csrf' | 'cross_origin'; message: string; fix: string };

/**
 * Checks a cookie-authenticated request: the session must be live, and a state-changing request
 * must come from this origin (an `Origin` header, when sent, must match the request's host) and
 * echo the session's CSRF token in `X-AIOS-CSRF`. A form on another site can send the cookie but
 * can neither read the token nor set the header.
 */
export async function checkSession(c: Context, db: Db, clock: Clock, secret: string): Promise<{ session: SessionView } | { refusal: SessionRefusal }> {
  const session = await findSession(db, secret, clock.now());
  if (!session) return { refusal: { error: 'session_invalid', message: 'this login is unknown, expired or ended', fix: 'Log in again at the dashboard.' } };
  if (SAFE_METHODS.has(c.req.method)) return { session };
  const origin = c.req.header('origin');
  const host = c.req.header('host');
  if (origin && host && origin !== 'null') {
    let originHost = '';
    try { originHost = new URL(origin).host; } catch { /* unparsable: refused below */ }
    if (originHost !== host) return { refusal: { error: 'cross_origin', message: `a request from ${origin} may not act on this dashboard`, fix: 'Use the dashboard at its own address.' } };
  }
  const sent = c.req.header(CSRF_HEADER);
  if (!sent || !sameText(sent, session.csrf)) return { refusal: { error: 'csrf', message: 'missing or wrong CSRF token', fix: `Reload the dashboard; every change sends the session's token in the ${CSRF_HEADER} header.` } };
  return { session };
}
