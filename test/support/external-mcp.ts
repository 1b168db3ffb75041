import { createServer, type Server } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { z } from 'zod';

/** A small external MCP server (a "CRM") for tests: records every tool call it receives. */
export interface ExternalMcp {
  url: string;
  calls: Array<{ tool: string; args: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startExternalMcp(token: string): Promise<ExternalMcp> {
  const calls: ExternalMcp['calls'] = [];
  const build = () => {
    const s = new McpServer({ name: 'test-crm', version: '1.0.0' });
    s.registerTool('create_note', { inputSchema: { text: z.string() } }, async (args) => {
      calls.push({ tool: 'create_note', args });
      return { content: [{ type: 'text', text: `note saved: ${args.text}` }] };
    });
    s.registerTool('refund', { inputSchema: { invoice: z.string(), cents: z.number() } }, async (args) => {
      calls.push({ tool: 'refund', args });
      return { content: [{ type: 'text', text: `refunded ${args.cents}` }] };
    });
    s.registerTool('delete_everything', {}, async () => {
      calls.push({ tool: 'delete_everything', args: {} });
      return { content: [{ type: 'text', text: 'gone' }] };
    });
    return s;
  };
  const http: Server = createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
    const server = build();
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    const answer = await transport.handleRequest(request);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/mcp`, calls, close: () => new Promise((r) => http.close(() => r())) };
}
