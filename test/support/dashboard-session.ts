import type { Harness } from './harness.js';
import { addUser } from '../../src/records/principals.js';
import { setPassword } from '../../src/records/passwords.js';
import type { UserRole } from '../../src/records/scopes.js';

/** A logged-in dashboard session over plain HTTP: its cookie header and CSRF token. */
export interface HttpSession {
  cookie: string;
  csrf: string;
  body: any;
}

/** `POST /auth/login` as a browser would; throws unless 200. */
export async function httpLogin(url: string, email: string, password: string, business?: string): Promise<HttpSession> {
  const res = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, ...(business ? { business } : {}) }) });
  const body = (await res.json()) as any;
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrf: body.csrf, body };
}

/** A request with a session cookie; `csrf` false sends none, a string sends that one. */
export async function sessionFetch(url: string, s: Pick<HttpSession, 'cookie' | 'csrf'>, method: string, path: string, body?: unknown, opts: { csrf?: string | false; origin?: string } = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = { cookie: s.cookie, 'content-type': 'application/json' };
  const csrf = opts.csrf === undefined ? s.csrf : opts.csrf;
  if (csrf) headers['x-aios-csrf'] = csrf;
  if (opts.origin) headers.origin = opts.origin;
  const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Adds a user with a password to each business given (by slug), returns their principal id. */
export async function addLoginUser(h: Harness, a: { name: string; email: string; password: string; role: UserRole; slugs: string[] }): Promise<string> {
  const { db, tenants, clock } = h.aios.services;
  let id = '';
  for (const slug of a.slugs) {
    const t = tenants.all().find((x) => x.slug === slug)!;
    id = (await addUser(db, { tenantId: t.id, name: a.name, email: a.email, role: a.role })).id;
  }
  await setPassword(db, id, a.password, clock.now());
  return id;
}
