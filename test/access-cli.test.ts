import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { Command } from 'commander';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { accessCommands } from '../src/cli/access-commands.js';
import type { Target } from '../src/cli/client.js';

/** `aios token …` and `aios user …` against a running AIOS, as the owner (the CLI token). */
let h: Harness;
let target: Target;

beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  target = { url: h.aios.url, token: h.aios.cliTokens.get('acme')!, slug: 'acme', home: h.home };
});
afterAll(() => h?.stop());

async function aios(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  try {
    const program = new Command().exitOverride();
    accessCommands(program, () => target);
    await program.parseAsync(['node', 'aios', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

describe('aios token and aios user', () => {
  it('creates a scoped, expiring token, lists it, and revokes it', async () => {
    const created = JSON.parse(await aios('token', 'create', '--name', 'zapier', '--kind', 'integration', '--scopes', 'read', '--expires', '30d', '--json'));
    expect(created).toMatchObject({ scopes: ['read'], principal: { kind: 'integration', name: 'zapier' } });
    expect(new Date(created.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await h.api(created.token, 'GET', '/api/v1/status')).status).toBe(200);
    expect((await h.api(created.token, 'POST', '/api/v1/actions/sms', { to: '+14165550999', body: 'hi' })).status).toBe(403);

    const listed = await aios('token', 'list');
    expect(listed).toContain(created.id);
    expect(listed).toMatch(/integration:zapier\s+read\s+active/);
    expect(listed).toMatch(/user:Owner \(owner\)\s+read,propose,decide,admin/);

    expect(await aios('token', 'revoke', created.id)).toBe(`revoked ${created.id}\n`);
    expect((await h.api(created.token, 'GET', '/api/v1/status')).status).toBe(401);
  });

  it('an assistant token by default; decide is refused with the reason', async () => {
    const out = await aios('token', 'create', '--name', 'claude');
    expect(out).toMatch(/^aios_\S+\n\(shown once; id tok_\w+; assistant "claude"; scopes read,propose\)/);
    await expect(aios('token', 'create', '--name', 'claude', '--scopes', 'read,decide')).rejects.toThrow(/assistant principal can never hold the decide scope/);
    await expect(aios('token', 'create', '--name', 'x', '--expires', '3w')).rejects.toThrow(/--expires must be a number of days/);
  });

  it('adds, lists and removes a user', async () => {
    const added = await aios('user', 'add', '--name', 'Sam', '--email', 'sam@acme.example', '--role', 'staff');
    const id = /id (pr_\w+)/.exec(added)![1]!;
    expect(await aios('user', 'list')).toMatch(new RegExp(`${id}\\s+Sam\\s+sam@acme.example\\s+staff`));
    await aios('token', 'create', '--name', 'sam', '--principal', id);
    expect(await aios('user', 'remove', id)).toBe('removed Sam; 1 token(s) revoked\n');
    expect(await aios('user', 'list')).not.toContain(id);
  });
});
