import { Hono } from 'hono';
import { MCP_CHANNEL_HEADER } from './auth.js';

/**
 * MCP over streamable HTTP at `/mcp` (stateless: a server per request). The bearer token of the
 * request is required and is passed through to the API calls the tools make, so the MCP client sees
 * exactly its own tenant and nothing else. The calls are marked as MCP calls, so whatever the token,
 * they act with at most `read` + `propose`: nothing reached over MCP decides or administers.
 */
export function mcpRoutes(apiFetch: (req: Request) => Promise<Response>): Hono {
  const app = new Hono();
  app.all('/', async (c) => {
    const auth = c.req.header('authorization');
    if (!auth) return c.json({ error: 'unauthorized', message: 'missing bearer token' }, 401);
    const probe = await apiFetch(new Request('http://aios.local/api/v1/status', { headers: { authorization: auth } }));
    if (probe.status === 401) return c.json({ error: 'unauthorized', message: 'unknown or revoked token' }, 401);
    // The MCP SDK is loaded at the first MCP request: an instance nobody connects to never holds it.
    const [{ WebStandardStreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
      import('../mcp/mcp-server.js'),
    ]);
    const server = createMcpServer(async (method, path, body) => {
      const res = await apiFetch(new Request(`http://aios.local${path}`, {
        method,
        headers: { authorization: auth, [MCP_CHANNEL_HEADER]: 'mcp', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      }));
      const t = await res.text();
      return { status: res.status, json: t ? JSON.parse(t) : null };
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    const res = await transport.handleRequest(c.req.raw);
    return res;
  });
  return app;
}
