import { z } from 'zod';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Connector } from '../framework/connector.js';
import { ConnectorError } from '../framework/connector-error.js';
import { checkUrl, findAddressRefusal } from '../framework/address-policy.js';
import { guardFetch } from '../framework/guarded-fetch.js';

/**
 * Credentials of an external MCP server (streamable HTTP). `tools` lists the tools AIOS may use and
 * the effect of each, as declared by whoever registers the server — never by a model. Tools not
 * listed are not callable.
 */
export const McpCredentials = z
  .object({
    url: z.string().url(),
    token: z.string().min(1).optional(),
    tools: z.record(z.string().min(1), z.object({ effect: z.enum(['read', 'write', 'send', 'money']) }).strict()).refine((t) => Object.keys(t).length > 0, 'declare at least one tool with its effect'),
  })
  .strict();
export type McpCredentialsT = z.infer<typeof McpCredentials>;

/**
 * Connects to the server (its address checked first, and every request and redirect through
 * `guardFetch`), runs `fn`, closes.
 */
async function withClient<T>(creds: McpCredentialsT, fn: (c: Client) => Promise<T>, timeoutMs = 15_000): Promise<T> {
  await checkUrl(creds.url);
  // Loaded at the first MCP connection: an instance without MCP connections never holds the SDK.
  const [{ Client }, { StreamableHTTPClientTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  ]);
  const client = new Client({ name: 'aios', version: '0.1.0' });
  const transport = new StreamableHTTPClientTransport(new URL(creds.url), { fetch: guardFetch(), requestInit: { headers: creds.token ? { authorization: `Bearer ${creds.token}` } : {} } });
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (err) {
    const refused = findAddressRefusal(err);
    if (refused) throw refused;
    const msg = err instanceof Error ? err.message : String(err);
    if (/401|403|unauthori[sz]ed|forbidden/i.test(msg)) throw new ConnectorError('auth', `the MCP server at ${creds.url} refused the token`, { cause: err, fix: 'Check the token.' });
    throw new ConnectorError('network', `cannot reach the MCP server at ${creds.url}: ${msg}`, { cause: err });
  }
  try {
    return await fn(client);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Names of the tools the server offers. */
export async function listMcpTools(creds: McpCredentialsT): Promise<string[]> {
  return withClient(creds, async (c) => (await c.listTools()).tools.map((t) => t.name));
}

/**
 * Calls one declared tool. Throws ConnectorError('invalid_input') for an undeclared tool and
 * ('protocol') when the tool reports an error.
 */
export async function callMcpTool(creds: McpCredentialsT, tool: string, args: Record<string, unknown>, timeoutMs = 30_000): Promise<unknown> {
  if (!creds.tools[tool]) throw new ConnectorError('invalid_input', `tool "${tool}" is not declared for this MCP server`, { fix: 'Declare it with its effect in the connection.' });
  return withClient(creds, async (c) => {
    const res = await c.callTool({ name: tool, arguments: args }, undefined, { timeout: timeoutMs });
    if (res.isError) throw new ConnectorError('protocol', `tool ${tool} failed: ${JSON.stringify(res.content).slice(0, 300)}`);
    return res.structuredContent ?? res.content;
  });
}

/** An external MCP server as a connector: its declared tools become actions behind the policy gate. */
export const mcpConnector: Connector<McpCredentialsT> = {
  kind: 'mcp',
  title: 'MCP server (streamable HTTP)',
  credentials: McpCredentials,
  async validate(ctx) {
    const offered = await listMcpTools(ctx.credentials);
    const missing = Object.keys(ctx.credentials.tools).filter((t) => !offered.includes(t));
    if (missing.length) throw new ConnectorError('invalid_input', `the server does not offer: ${missing.join(', ')} (it offers ${offered.join(', ') || 'nothing'})`);
  },
};
