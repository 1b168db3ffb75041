import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { ownerLogin } from './support/dashboard-browser.js';
import { addLoginUser, httpLogin, sessionFetch } from './support/dashboard-session.js';
import { recordFailure, LOGIN_LOCKOUT_AFTER } from '../src/records/login-failures.js';

/**
 * The dashboard login over HTTP, attacked: guessing, forged cookies, cross-site requests, stale
 * sessions, an implementer reaching for a business not theirs, staff reaching for the policy.
 */
let h: Harness;
let url: string;
const STAFF = { name: 'Sam Staff', email: 'sam@acme.test', password: 'staff password 123' };
const IMPL = { name: 'Ivy Implementer', email: 'ivy@agency.test', password: 'implementer pass 123' };
const tenantId = (slug: string) => h.aios.services.tenants.all().find((t) => t.slug === slug)!.id;

beforeAll(async () => {
  h = await startHarness([
    { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY },
    { slug: 'beta', phone: '+14165550200', policy: AUTO_POLICY },
    { slug: 'gamma', phone: '+14165550300', policy: AUTO_POLICY },
  ]);
  url = h.aios.url;
  await addLoginUser(h, { ...STAFF, role: 'staff', slugs: ['acme'] });
  await addLoginUser(h, { ...IMPL, role: 'implementer', slugs: ['acme', 'beta'] });
}, 60_000);
afterAll(() => h?.stop());
// Failures from this test's address add up across tests (the address is one of the keys counted).
afterEach(async () => { await h.aios.services.db.deleteFrom('login_failures').execute(); });

async function tryLogin(email: string, password: string): Promise<{ status: number; json: any; ms: number; headers: Headers }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return { status: res.status, json: await res.json(), ms: performance.now() - t0, headers: res.headers };
}

describe('guessing passwords', () => {
  it('a wrong password and an unknown email get the same generic 401, and each failure waits longer (the 4th ≥ 1 s)', async () => {
    const owner = ownerLogin(h.home, 'acme');
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await tryLogin(owner.email, `wrong guess ${i}`);
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: 'login_failed', message: 'that email and password do not match' });
      expect(r.headers.get('set-cookie')).toBeNull();
      times.push(r.ms);
    }
    console.log(`login failure answer times (ms): ${times.map((t) => Math.round(t)).join(', ')}`);
    expect(times[3]!).toBeGreaterThanOrEqual(1000);
    expect(times[3]!).toBeGreaterThan(times[1]!);
    await h.aios.services.db.deleteFrom('login_failures').execute();
    const unknown = await tryLogin('nobody@nowhere.test', 'whatever 12345');
    expect(unknown.status).toBe(401);
    expect(unknown.json.message).toBe('that email and password do not match');
  }, 30_000);

  it(`after ${LOGIN_LOCKOUT_AFTER} failures in the window the email is locked out: 429 with Retry-After, even with the right password`, async () => {
    const owner = ownerLogin(h.home, 'beta');
    const now = h.aios.services.clock.now();
    for (let i = 0; i < LOGIN_LOCKOUT_AFTER; i++) await recordFailure(h.aios.services.db, [`email:${owner.email.toLowerCase()}`], now);
    const r = await tryLogin(owner.email, owner.password);
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.json.fix).toMatch(/Wait \d+ minutes/);
  });
});

describe('sessions', () => {
  it('a forged session cookie is refused on /api/v1 (403)', async () => {
    const r = await sessionFetch(url, { cookie: 'aios_session=forged-not-a-real-session', csrf: 'x' }, 'GET', '/api/v1/status');
    expect(r.status).toBe(403);
    expect(r.json.error).toBe('session_invalid');
  });

  it('a change without the CSRF token, or with a wrong one, is refused and changes nothing', async () => {
    const owner = ownerLogin(h.home, 'acme');
    const s = await httpLogin(url, owner.email, owner.password);
    const before = (await sessionFetch(url, s, 'GET', '/api/v1/users')).json.users.length;
    for (const csrf of [false, 'wrong-token'] as const) {
      const r = await sessionFetch(url, s, 'POST', '/api/v1/users', { name: 'Mallory', email: 'mallory@evil.test', role: 'owner' }, { csrf });
      expect(r.status).toBe(403);
      expect(r.json.error).toBe('csrf');
    }
    const hours = await sessionFetch(url, s, 'PUT', '/api/v1/settings/hours', { hours: { mon: 'closed', tue: 'closed', wed: 'closed', thu: 'closed', fri: 'closed', sat: 'closed', sun: 'closed' } }, { csrf: false });
    expect(hours.status).toBe(403);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/users')).json.users.length).toBe(before);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/settings')).json.hours).toBeNull();
  });

  it('a request from another origin is refused even with the right token', async () => {
    const owner = ownerLogin(h.home, 'acme');
    const s = await httpLogin(url, owner.email, owner.password);
    const r = await sessionFetch(url, s, 'POST', '/api/v1/users', { name: 'Mallory', email: 'mallory2@evil.test', role: 'staff' }, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.json.error).toBe('cross_origin');
    const ok = await sessionFetch(url, s, 'GET', '/api/v1/users');
    expect(ok.json.users.map((u: { email: string }) => u.email)).not.toContain('mallory2@evil.test');
  });

  it('logout ends the session', async () => {
    const owner = ownerLogin(h.home, 'acme');
    const s = await httpLogin(url, owner.email, owner.password);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/status')).status).toBe(200);
    expect((await sessionFetch(url, s, 'POST', '/auth/logout', {})).status).toBe(200);
    expect((await sessionFetch(url, s, 'GET', '/auth/session')).status).toBe(401);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/status')).status).toBe(403);
  });

  it('a password change ends the other sessions of that user', async () => {
    const a = await httpLogin(url, STAFF.email, STAFF.password);
    const b = await httpLogin(url, STAFF.email, STAFF.password);
    const owner = ownerLogin(h.home, 'acme');
    const o = await httpLogin(url, owner.email, owner.password);
    const staffId = a.body.user.id;
    const r = await sessionFetch(url, o, 'PUT', `/api/v1/users/${staffId}/password`, { password: 'a new staff password' });
    expect(r.status).toBe(200);
    expect((await sessionFetch(url, a, 'GET', '/api/v1/status')).status).toBe(403);
    expect((await sessionFetch(url, b, 'GET', '/auth/session')).status).toBe(401);
    expect((await sessionFetch(url, o, 'GET', '/api/v1/status')).status).toBe(200);
    expect((await tryLogin(STAFF.email, STAFF.password)).status).toBe(401);
    await h.aios.services.db.deleteFrom('login_failures').execute();
    await httpLogin(url, STAFF.email, 'a new staff password');
    STAFF.password = 'a new staff password';
  }, 20_000);
});

describe('own password', () => {
  it('staff change their own password with the current one; this session stays, the others end', async () => {
    const here = await httpLogin(url, STAFF.email, STAFF.password);
    const elsewhere = await httpLogin(url, STAFF.email, STAFF.password);
    const wrong = await sessionFetch(url, here, 'PUT', '/api/v1/me/password', { current: 'not my password', password: 'brand new password 1' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toMatch(/current password/);
    expect((await sessionFetch(url, elsewhere, 'GET', '/api/v1/status')).status).toBe(200);
    const ok = await sessionFetch(url, here, 'PUT', '/api/v1/me/password', { current: STAFF.password, password: 'brand new password 1' });
    expect(ok.status).toBe(200);
    expect((await sessionFetch(url, here, 'GET', '/api/v1/status')).status).toBe(200);
    expect((await sessionFetch(url, elsewhere, 'GET', '/api/v1/status')).status).toBe(403);
    STAFF.password = 'brand new password 1';
    await httpLogin(url, STAFF.email, STAFF.password);
    const token = h.aios.cliTokens.get('acme')!;
    const machine = await h.api(token, 'POST', '/api/v1/tokens', { name: 'bot', kind: 'assistant', scopes: ['read'] });
    const bot = await h.api(machine.json.token, 'PUT', '/api/v1/me/password', { current: 'x', password: 'whatever password' });
    expect(bot.status).toBe(403);
  }, 20_000);
});

describe('roles', () => {
  it('an implementer switches between the assigned businesses and never into another (403)', async () => {
    const s = await httpLogin(url, IMPL.email, IMPL.password);
    expect(s.body.businesses.map((b: { slug: string }) => b.slug).sort()).toEqual(['acme', 'beta']);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/status')).json.tenant.slug).toBe('acme');
    const sw = await sessionFetch(url, s, 'POST', '/auth/switch', { tenantId: tenantId('beta') });
    expect(sw.status).toBe(200);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/status')).json.tenant.slug).toBe('beta');
    const bad = await sessionFetch(url, s, 'POST', '/auth/switch', { tenantId: tenantId('gamma') });
    expect(bad.status).toBe(403);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/status')).json.tenant.slug).toBe('beta');
    const noCsrf = await sessionFetch(url, s, 'POST', '/auth/switch', { tenantId: tenantId('acme') }, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect((await sessionFetch(url, s, 'GET', '/api/v1/status')).json.tenant.slug).toBe('beta');
  });

  it('staff cannot change the policy (403) and the file stays as it was', async () => {
    const s = await httpLogin(url, STAFF.email, STAFF.password);
    const path = join(h.home, 'tenants', 'acme', 'policy.yaml');
    const before = readFileSync(path, 'utf8');
    const r = await sessionFetch(url, s, 'PUT', '/api/v1/settings/policy', { text: 'version: 1\ndefault: auto\n' });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ error: 'forbidden', message: 'this token lacks the admin scope' });
    expect(readFileSync(path, 'utf8')).toBe(before);
    const view = await sessionFetch(url, s, 'GET', '/api/v1/settings');
    expect(view.status).toBe(200);
    expect(view.json.canEdit).toBe(false);
  });
});
