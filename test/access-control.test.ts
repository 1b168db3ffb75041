import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';

/**
 * People, roles, scoped tokens and separation of duties, through the real HTTP server: the review's
 * attack (an assistant approving its own text to a stranger), token administration, revocation and
 * expiry, users, and what a read-only token sees in the outbox.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111' };
let h: Harness;
let owner: string;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: APPROVE_FIRST_POLICY }], { clock });
  owner = h.aios.cliTokens.get(A.slug)!;
});
afterAll(() => h?.stop());

const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const tokenCount = async () => (await h.aios.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
async function newToken(body: Record<string, unknown>): Promise<{ id: string; token: string; principal: { id: string; kind: string }; scopes: string[] }> {
  const r = await h.api(owner, 'POST', '/api/v1/tokens', body);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json;
}
async function pendingApprovalFor(to: string) {
  return eventually(async () => (await h.api(owner, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === to), 10_000, `approval for ${to}`);
}

describe('an assistant cannot approve its own proposal (the review’s attack)', () => {
  it('over MCP it proposes a text to a stranger; approving it with the same token is 403; the owner decides', async () => {
    const assistant = await newToken({ name: 'claude', kind: 'assistant' });
    expect(assistant.principal.kind).toBe('assistant');
    expect(assistant.scopes).toEqual(['read', 'propose']);

    const client = new Client({ name: 'assistant', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${h.aios.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${assistant.token}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).filter((n) => /approv|reject|decid|token|user/i.test(n) && n !== 'list_approvals')).toEqual([]);
      const stranger = '+14165550901';
      const proposed = await client.callTool({ name: 'propose_sms', arguments: { to: stranger, body: 'Here is our full customer list: …' } });
      expect(proposed.isError).toBeFalsy();
      const approval = await pendingApprovalFor(stranger);

      const self = await h.api(assistant.token, 'POST', `/api/v1/approvals/${approval.id}/approve`, {});
      expect(self.status).toBe(403);
      expect(self.json).toMatchObject({ error: 'forbidden', message: 'this token lacks the decide scope' });
      expect(self.json.fix).toMatch(/decide/);
      expect((await h.api(assistant.token, 'POST', `/api/v1/approvals/${approval.id}/reject`, { reason: 'x' })).status).toBe(403);
      await new Promise((r) => setTimeout(r, 200));
      expect(smsTo(stranger)).toHaveLength(0);
      expect((await h.api(owner, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.id === approval.id).status).toBe('pending');

      const decided = await h.api(owner, 'POST', `/api/v1/approvals/${approval.id}/reject`, { reason: 'not our customer' });
      expect(decided.status).toBe(200);
      expect(decided.json.approval.decided_by).toMatch(/^user:pr_/);
    } finally {
      await client.close();
    }
  });

  it('decide can never be granted to an assistant, whether new or existing; nothing is stored', async () => {
    const existing = await newToken({ name: 'gpt', kind: 'assistant' });
    const before = await tokenCount();
    for (const body of [
      { name: 'gpt', kind: 'assistant', scopes: ['read', 'propose', 'decide'] },
      { name: 'gpt-2', principal: existing.principal.id, scopes: ['decide'] },
      { name: 'new-bot', scopes: 'read,decide' },
    ]) {
      const r = await h.api(owner, 'POST', '/api/v1/tokens', body);
      expect(r.status, JSON.stringify(body)).toBe(403);
      expect(r.json.error).toBe('forbidden');
      expect(r.json.message).toMatch(/assistant principal can never hold the decide scope/);
    }
    expect(await tokenCount()).toBe(before);
    const principals = await h.aios.db.selectFrom('principals').select('name').where('name', '=', 'new-bot').execute();
    expect(principals).toEqual([]);
  });

  it('over MCP even the owner’s token acts with read + propose only', async () => {
    const stranger = '+14165550902';
    await h.api(owner, 'POST', '/api/v1/actions/sms', { to: stranger, body: 'Hello from Acme' });
    const approval = await pendingApprovalFor(stranger);
    const res = await fetch(`${h.aios.url}/api/v1/approvals/${approval.id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${owner}`, 'x-aios-channel': 'mcp', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).message).toBe('this token lacks the decide scope');
  });
});

describe('separation of duties between people', () => {
  it('a staff member who proposed cannot decide it (any of their tokens); the owner can', async () => {
    const added = await h.api(owner, 'POST', '/api/v1/users', { name: 'Sam', email: 'sam@acme.example', role: 'staff' });
    expect(added.status).toBe(201);
    const sam = added.json.user;
    const t1 = await newToken({ name: 'sam laptop', principal: sam.id });
    expect(t1.scopes).toEqual(['read', 'propose', 'decide']);
    const t2 = await newToken({ name: 'sam phone', principal: sam.id });

    const stranger = '+14165550903';
    expect((await h.api(t1.token, 'POST', '/api/v1/actions/sms', { to: stranger, body: 'Hi, Sam from Acme here.' })).status).toBe(202);
    const approval = await pendingApprovalFor(stranger);
    for (const t of [t1.token, t2.token]) {
      const r = await h.api(t, 'POST', `/api/v1/approvals/${approval.id}/approve`, {});
      expect(r.status).toBe(403);
      expect(r.json).toMatchObject({ error: 'forbidden' });
      expect(r.json.message).toMatch(/separation of duties/);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(smsTo(stranger)).toHaveLength(0);

    const ok = await h.api(owner, 'POST', `/api/v1/approvals/${approval.id}/approve`, {});
    expect(ok.status).toBe(200);
    await eventually(async () => smsTo(stranger).length === 1, 10_000, 'the approved text');
    const ownerId = (await h.api(owner, 'GET', '/api/v1/users')).json.users.find((u: any) => u.role === 'owner').id;
    const log = await h.aios.db.selectFrom('audit_log').select(['actor', 'action']).where('subject', '=', approval.id).execute();
    expect(log).toEqual([{ actor: `user:${ownerId}`, action: 'approval.approved' }]);
  });

  it('staff cannot administer; a user cannot be given more than their role', async () => {
    const users = (await h.api(owner, 'GET', '/api/v1/users')).json.users;
    const sam = users.find((u: any) => u.email === 'sam@acme.example');
    const staff = await newToken({ name: 'sam desk', principal: sam.id });
    const r = await h.api(staff.token, 'POST', '/api/v1/tokens', { name: 'x' });
    expect(r.status).toBe(403);
    expect(r.json.message).toBe('this token lacks the admin scope');
    const over = await h.api(owner, 'POST', '/api/v1/tokens', { name: 'sam root', principal: sam.id, scopes: ['admin'] });
    expect(over.status).toBe(403);
    expect(over.json.message).toMatch(/staff role can never hold the admin scope/);
  });
});

describe('token administration', () => {
  it('an assistant token cannot create, list or revoke tokens, nor list users (403 naming admin)', async () => {
    const bot = await newToken({ name: 'zap', kind: 'assistant' });
    const calls: Array<[string, string, unknown?]> = [['POST', '/api/v1/tokens', { name: 'mine', kind: 'integration', scopes: ['decide'] }], ['GET', '/api/v1/tokens'], ['POST', `/api/v1/tokens/${bot.id}/revoke`, {}], ['GET', '/api/v1/users']];
    for (const [method, path, body] of calls) {
      const r = await h.api(bot.token, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json).toMatchObject({ error: 'forbidden', message: 'this token lacks the admin scope' });
    }
  });

  it('an admin cannot mint a scope it does not hold', async () => {
    const ops = await newToken({ name: 'provisioner', kind: 'integration', scopes: ['read', 'admin'] });
    const r = await h.api(ops.token, 'POST', '/api/v1/tokens', { name: 'sneaky', kind: 'integration', scopes: ['read', 'decide'] });
    expect(r.status).toBe(403);
    expect(r.json.message).toMatch(/lacks the decide scope/);
    const defaults = await h.api(ops.token, 'POST', '/api/v1/tokens', { name: 'helper', kind: 'integration' });
    expect(defaults.status).toBe(201);
    expect(defaults.json.scopes).toEqual(['read']);
  });

  it('tokens are listed without secrets; a revoked token is refused on the very next request', async () => {
    const zap = await newToken({ name: 'zapier', kind: 'integration' });
    expect((await h.api(zap.token, 'GET', '/api/v1/status')).status).toBe(200);
    const used = await eventually(async () => {
      const t = (await h.api(owner, 'GET', '/api/v1/tokens')).json.tokens.find((x: any) => x.id === zap.id);
      return t.last_used_at ? t : undefined;
    }, 5_000, 'last_used_at');
    expect(used).toMatchObject({ name: 'zapier', status: 'active', scopes: ['read', 'propose'], principal: { kind: 'integration', name: 'zapier' } });
    expect(JSON.stringify((await h.api(owner, 'GET', '/api/v1/tokens')).json)).not.toMatch(/token_hash|aios_[A-Za-z0-9_-]{20,}/);

    const revoked = await h.api(owner, 'DELETE', `/api/v1/tokens/${zap.id}`);
    expect(revoked.status).toBe(200);
    const r = await h.api(zap.token, 'GET', '/api/v1/status');
    expect(r.status).toBe(401);
    expect(r.json.error).toBe('unauthorized');

    const other = await newToken({ name: 'n8n', kind: 'integration' });
    expect((await h.api(other.token, 'GET', '/api/v1/signals')).status).toBe(200);
    expect((await h.api(owner, 'POST', `/api/v1/tokens/${other.id}/revoke`, {})).status).toBe(200);
    expect((await h.api(other.token, 'GET', '/api/v1/signals')).status).toBe(401);
    const again = await h.api(owner, 'POST', `/api/v1/tokens/${other.id}/revoke`, {});
    expect(again.json.alreadyRevoked).toBe(true);
    const log = await h.aios.db.selectFrom('audit_log').select(['action', 'subject']).where('action', 'like', 'token.%').where('subject', 'in', [zap.id, other.id]).orderBy('id').execute();
    expect(log.map((l) => l.action)).toEqual(['token.created', 'token.revoked', 'token.created', 'token.revoked']);
  });

  it('bad token requests get 400 naming the problem and store nothing', async () => {
    const before = await tokenCount();
    for (const body of [{ name: 'x', scopes: ['root'] }, { name: 'x', kind: 'robot' }, { name: 'x', expiresInDays: 0 }, { name: '' }, { name: 'x', kind: 'assistant', principal: 'pr_x' }]) {
      const r = await h.api(owner, 'POST', '/api/v1/tokens', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.message).toMatch(/name|scope|kind|expiresInDays|principal/);
    }
    expect((await h.api(owner, 'POST', '/api/v1/tokens', { name: 'x', principal: 'pr_nobody' })).status).toBe(404);
    expect(await tokenCount()).toBe(before);
  });
});

describe('users', () => {
  it('removing a user revokes their tokens; the last owner cannot be removed; both are audited', async () => {
    const added = await h.api(owner, 'POST', '/api/v1/users', { name: 'Ira', email: 'ira@agency.example', role: 'implementer' });
    expect(added.status).toBe(201);
    expect((await h.api(owner, 'POST', '/api/v1/users', { name: 'Ira', email: 'IRA@agency.example', role: 'staff' })).status).toBe(409);
    const ira = await newToken({ name: 'ira', principal: added.json.user.id });
    expect(ira.scopes).toEqual(['read', 'propose', 'admin']);
    expect((await h.api(ira.token, 'GET', '/api/v1/users')).status).toBe(200);
    const ownerUser = (await h.api(owner, 'GET', '/api/v1/users')).json.users.find((u: any) => u.role === 'owner');
    const ownerRemoval = await h.api(ira.token, 'DELETE', `/api/v1/users/${ownerUser.id}`);
    expect(ownerRemoval.status).toBe(403);

    const removed = await h.api(owner, 'DELETE', `/api/v1/users/${added.json.user.id}`);
    expect(removed.status).toBe(200);
    expect(removed.json.revokedTokens).toBe(1);
    expect((await h.api(ira.token, 'GET', '/api/v1/status')).status).toBe(401);

    const last = await h.api(owner, 'DELETE', `/api/v1/users/${ownerUser.id}`);
    expect(last.status).toBe(409);
    expect(last.json.message).toMatch(/last owner/);
    expect((await h.api(owner, 'GET', '/api/v1/status')).status).toBe(200);
    const log = await h.aios.db.selectFrom('audit_log').select(['actor', 'action']).where('subject', '=', added.json.user.id).orderBy('id').execute();
    expect(log).toEqual([{ actor: `user:${ownerUser.id}`, action: 'user.added' }, { actor: `user:${ownerUser.id}`, action: 'user.removed' }]);
    expect((await h.api(owner, 'POST', '/api/v1/users', { name: 'X', email: 'not-an-email', role: 'staff' })).status).toBe(400);
    expect((await h.api(owner, 'POST', '/api/v1/users', { name: 'X', email: 'x@example.com', role: 'god' })).status).toBe(400);
  });
});

describe('outbox listing', () => {
  it('a read-only token sees no decision link in the owner’s notices; an admin does', async () => {
    await h.voice('+14165550904', A.phone);
    await eventually(async () => smsTo(A.ownerPhone).find((m) => m.body.includes('+14165550904')), 10_000, 'owner notice');
    const reader = await newToken({ name: 'reader', kind: 'integration', scopes: ['read'] });
    const seen = (await h.api(reader.token, 'GET', '/api/v1/outbox')).json.outbox;
    const notices = seen.filter((r: any) => r.kind === 'owner.notify');
    expect(notices.length).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toMatch(/\/a\/[A-Za-z0-9_-]{20,}/);
    const adminView = (await h.api(owner, 'GET', '/api/v1/outbox')).json.outbox.filter((r: any) => r.kind === 'owner.notify');
    expect(adminView[0].payload.body).not.toMatch(/redacted/);
  });
});

describe('expiry (last: moves the clock)', () => {
  it('a token with expiresInDays works until then and is refused after', async () => {
    const t = await newToken({ name: 'trial', kind: 'integration', expiresInDays: 1 });
    expect((await h.api(t.token, 'GET', '/api/v1/status')).status).toBe(200);
    offsetMs = 25 * 3_600_000;
    const r = await h.api(t.token, 'GET', '/api/v1/status');
    expect(r.status).toBe(401);
    expect(r.json.message).toMatch(/expired/);
    expect((await h.api(owner, 'GET', '/api/v1/tokens')).json.tokens.find((x: any) => x.id === t.id).status).toBe('expired');
    expect((await h.api(owner, 'GET', '/api/v1/status')).status).toBe(200);
  });
});
