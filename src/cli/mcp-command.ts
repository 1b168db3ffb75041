import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, type Target } from './client.js';

/**
 * The token `aios mcp` acts with: an `assistant` principal's own token (read + propose), kept in
 * `AIOS_HOME/mcp-tokens/<slug>` (0600) and minted with the owner's CLI token on first use, so that
 * what the assistant proposes is the assistant's proposal and the owner can decide it. With
 * AIOS_TOKEN set, that token is used as given.
 */
async function assistantToken(t: Target): Promise<string> {
  if (process.env.AIOS_TOKEN) return t.token;
  const dir = join(t.home, 'mcp-tokens');
  const path = join(dir, t.slug);
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    const probe = await fetch(`${t.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
    if (probe.ok) return token;
  }
  const r = await api<{ token: string }>(t, 'POST', '/api/v1/tokens', { name: 'aios mcp', kind: 'assistant' });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path, r.token + '\n', { mode: 0o600 });
  return r.token;
}

/**
 * `aios mcp`: AIOS as an MCP server over stdio, for desktop assistants. It talks to the running
 * instance as the tenant's assistant principal; stdout carries only MCP messages.
 */
export function mcpCommand(program: Command, target: () => Target): void {
  program
    .command('mcp')
    .description('serve AIOS tools over MCP on stdio (for an AI assistant; it can read and propose, never decide)')
    .action(async () => {
      const t = target();
      const token = await assistantToken(t);
      // Loaded here, not at the top: the other commands start faster without the server's modules.
      const [{ StdioServerTransport }, { createMcpServer }, { MCP_CHANNEL_HEADER }] = await Promise.all([
        import('@modelcontextprotocol/sdk/server/stdio.js'),
        import('../server/mcp/mcp-server.js'),
        import('../server/http/auth.js'),
      ]);
      const server = createMcpServer(async (method, path, body) => {
        const res = await fetch(`${t.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, [MCP_CHANNEL_HEADER]: 'mcp', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : null };
      });
      await server.connect(new StdioServerTransport());
    });
}
