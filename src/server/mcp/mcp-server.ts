import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** Calls AIOS's JSON API as one tenant (in-process for `/mcp`, over HTTP for `aios mcp`). */
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: unknown }>;

const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }] });

async function call(api: ApiCall, method: string, path: string, body?: unknown) {
  const r = await api(method, path, body);
  if (r.status >= 400) {
    const j = r.json as { message?: string; fix?: string } | null;
    return { isError: true, content: [{ type: 'text' as const, text: `${j?.message ?? `HTTP ${r.status}`}${j?.fix ? ` (${j.fix})` : ''}` }] };
  }
  return text(r.json);
}

/**
 * AIOS as an MCP server. Tools read the business's records and propose actions; every proposal
 * goes through the same policy gate and approvals as a playbook's own actions, so an assistant
 * connected over MCP can never send what the owner's policy does not allow.
 */
export function createMcpServer(api: ApiCall): McpServer {
  const server = new McpServer({ name: 'aios', version: '0.1.0' });

  server.registerTool('search_knowledge', {
    title: 'Search the business’s knowledge',
    description: 'Full-text search over the owner’s own documents (offers, prices, policies, FAQs, procedures), with file and heading.',
    inputSchema: { query: z.string().min(1).max(500), kind: z.string().optional(), limit: z.number().int().min(1).max(20).optional() },
    annotations: { readOnlyHint: true },
  }, async ({ query, kind, limit }) => call(api, 'GET', `/api/v1/knowledge/search?q=${encodeURIComponent(query)}&limit=${limit ?? 5}${kind ? `&kind=${encodeURIComponent(kind)}` : ''}`));

  server.registerTool('answer_question', {
    title: 'Answer as the owner would',
    description: 'A grounded answer with citations, or status "unknown" (the question then goes to the owner once).',
    inputSchema: { question: z.string().min(1).max(1000) },
    annotations: { readOnlyHint: true },
  }, async ({ question }) => call(api, 'POST', '/api/v1/knowledge/ask', { question }));

  server.registerTool('find_contacts', {
    title: 'Find contacts',
    description: 'Look up the business’s contacts by name, phone or email (substring match).',
    inputSchema: { query: z.string().min(1).max(200), limit: z.number().int().min(1).max(100).optional() },
    annotations: { readOnlyHint: true },
  }, async ({ query, limit }) => call(api, 'GET', `/api/v1/contacts?q=${encodeURIComponent(query)}&limit=${limit ?? 20}`));

  server.registerTool('list_deals', {
    title: 'List deals',
    description: 'Deals in the pipeline, newest first, with their stage.',
    inputSchema: { limit: z.number().int().min(1).max(200).optional() },
    annotations: { readOnlyHint: true },
  }, async ({ limit }) => call(api, 'GET', `/api/v1/deals?limit=${limit ?? 50}`));

  server.registerTool('list_signals', {
    title: 'List signals',
    description: 'What AIOS noticed (missed calls, proposals…), optionally filtered by status: open, handling, resolved.',
    inputSchema: { status: z.enum(['open', 'handling', 'snoozed', 'resolved', 'dismissed']).optional(), limit: z.number().int().min(1).max(200).optional() },
    annotations: { readOnlyHint: true },
  }, async ({ status, limit }) => call(api, 'GET', `/api/v1/signals?limit=${limit ?? 50}${status ? `&status=${status}` : ''}`));

  server.registerTool('list_approvals', {
    title: 'List approvals',
    description: 'Actions waiting for the owner’s decision (or past decisions with status=all).',
    inputSchema: { status: z.enum(['pending', 'approved', 'rejected', 'expired', 'all']).optional() },
    annotations: { readOnlyHint: true },
  }, async ({ status }) => call(api, 'GET', `/api/v1/approvals?status=${status ?? 'pending'}`));

  server.registerTool('get_run', {
    title: 'Get a run',
    description: 'One playbook run with its checkpointed steps (use it to follow a proposal).',
    inputSchema: { runId: z.string().min(1).max(200) },
    annotations: { readOnlyHint: true },
  }, async ({ runId }) => call(api, 'GET', `/api/v1/runs/${encodeURIComponent(runId)}`));

  server.registerTool('propose_sms', {
    title: 'Propose a text message',
    description:
      'Propose an SMS to a customer. It is NOT sent directly: the business’s policy decides (it may send it, ask the owner, hold it for quiet hours, or refuse). Returns the run to follow.',
    inputSchema: { to: z.string().describe('phone number, e.g. +14165550100 (a number without + is read in the business\'s country)'), body: z.string().min(1).max(1600), idempotencyKey: z.string().max(200).optional() },
    annotations: { destructiveHint: false, openWorldHint: true },
  }, async ({ to, body, idempotencyKey }) => call(api, 'POST', '/api/v1/actions/sms', { to, body, idempotencyKey }));

  server.registerTool('propose_tool_call', {
    title: 'Propose a tool call on a connected service',
    description:
      'Propose calling a tool of an MCP server the business connected (see list_connections). It is NOT run directly: its declared effect and the business’s policy decide (run, ask the owner, or refuse). Returns the run to follow.',
    inputSchema: { connectionId: z.string().min(1), tool: z.string().min(1).max(100), arguments: z.record(z.string(), z.unknown()).optional(), summary: z.string().max(300).optional(), idempotencyKey: z.string().max(200).optional() },
    annotations: { destructiveHint: false, openWorldHint: true },
  }, async (a) => call(api, 'POST', '/api/v1/actions/tool', { ...a, arguments: a.arguments ?? {} }));

  server.registerTool('list_connections', {
    title: 'List connections',
    description: 'Services the business connected (mail, calendar, payments, MCP servers) and their status.',
    annotations: { readOnlyHint: true },
  }, async () => call(api, 'GET', '/api/v1/connections'));

  return server;
}
