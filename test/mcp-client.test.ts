import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';
import { startExternalMcp, type ExternalMcp } from './support/external-mcp.js';

/**
 * AIOS as an MCP client: an external MCP server is registered with the effect of each tool declared
 * by the implementer; a proposed tool call runs only when the policy allows it.
 */
const POLICY = AUTO_POLICY.replace('actions:\n  sms.send: auto', 'actions:\n  sms.send: auto\n  mcp.crm.create_note: auto');
let h: Harness;
let crm: ExternalMcp;
let token: string;
let connectionId: string;

beforeAll(async () => {
  crm = await startExternalMcp('crm-secret');
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: POLICY }]);
  token = h.aios.cliTokens.get('acme')!;
});
afterAll(async () => {
  await h?.stop();
  await crm?.close();
});

const runOf = async (runId: string) => (await h.api(token, 'GET', `/api/v1/runs/${encodeURIComponent(runId)}`)).json.run;

describe('external MCP tools behind the policy gate', () => {
  it('registering validates the declared tools against the server', async () => {
    const bad = await h.api(token, 'POST', '/api/v1/connections', { kind: 'mcp', name: 'crm', credentials: { url: crm.url, token: 'crm-secret', tools: { send_fax: { effect: 'send' } } } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/does not offer: send_fax/);
    const wrongToken = await h.api(token, 'POST', '/api/v1/connections', { kind: 'mcp', name: 'crm', credentials: { url: crm.url, token: 'nope', tools: { create_note: { effect: 'write' } } } });
    expect(wrongToken.status).toBe(400);
    const ok = await h.api(token, 'POST', '/api/v1/connections', { kind: 'mcp', name: 'crm', credentials: { url: crm.url, token: 'crm-secret', tools: { create_note: { effect: 'write' }, refund: { effect: 'money' } } } });
    expect(ok.status).toBe(201);
    connectionId = ok.json.connection.id;
  });

  it('a tool the policy allows runs once', async () => {
    const r = await h.api(token, 'POST', '/api/v1/actions/tool', { connectionId, tool: 'create_note', arguments: { text: 'Priya wants Friday 9am' } });
    expect(r.status).toBe(202);
    const run = await eventually(async () => ((await runOf(r.json.runId)).status === 'completed' ? runOf(r.json.runId) : undefined), 10_000, 'run');
    expect(run.summary).toMatch(/^ran crm\.create_note/);
    expect(crm.calls).toEqual([{ tool: 'create_note', args: { text: 'Priya wants Friday 9am' } }]);
  });

  it('a money tool waits for the owner and runs only after approval', async () => {
    // Proposed by an assistant: whoever proposes never decides, so the owner's approval is another principal's.
    const assistant = (await h.api(token, 'POST', '/api/v1/tokens', { name: 'bookkeeper-bot', kind: 'assistant' })).json.token;
    const r = await h.api(assistant, 'POST', '/api/v1/actions/tool', { connectionId, tool: 'refund', arguments: { invoice: 'INV-7', cents: 12000 }, summary: 'refund INV-7 $120' });
    const approval = await eventually(async () => (await h.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.run_id === r.json.runId), 10_000, 'approval');
    expect(approval.action_kind).toBe('mcp.crm.refund');
    await new Promise((res) => setTimeout(res, 300));
    expect(crm.calls.filter((c) => c.tool === 'refund')).toHaveLength(0);
    expect((await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(200);
    await eventually(async () => crm.calls.some((c) => c.tool === 'refund'), 10_000, 'refund after approval');
    expect(crm.calls.filter((c) => c.tool === 'refund')).toHaveLength(1);
  });

  it('an undeclared tool is refused even though the server offers it', async () => {
    const r = await h.api(token, 'POST', '/api/v1/actions/tool', { connectionId, tool: 'delete_everything', arguments: {} });
    const run = await eventually(async () => ((await runOf(r.json.runId)).status === 'completed' ? runOf(r.json.runId) : undefined), 10_000, 'run');
    expect(run.summary).toMatch(/refused by policy: mcp\.crm\.delete_everything is not a declared tool/);
    expect(crm.calls.some((c) => c.tool === 'delete_everything')).toBe(false);
  });

  it('a tool call whose string arguments carry a foreign link or number waits for the owner, even when its kind is auto', async () => {
    const r = await h.api(token, 'POST', '/api/v1/actions/tool', { connectionId, tool: 'create_note', arguments: { text: 'Ask Priya to settle at evil.example/pay', extra: { phone: 'call five five five oh one two three' } } });
    const approval = await eventually(async () => (await h.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.run_id === r.json.runId), 10_000, 'approval');
    expect(approval.reasons.map((x: any) => x.rule)).toEqual(['foreign_link', 'foreign_number']);
    await new Promise((res) => setTimeout(res, 300));
    expect(crm.calls.some((c) => JSON.stringify(c.args).includes('evil.example'))).toBe(false);
  });
});
