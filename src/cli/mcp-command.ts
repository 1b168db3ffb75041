import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../server/mcp/mcp-server.js';
import type { Target } from './client.js';

/**
 * `aios mcp`: AIOS as an MCP server over stdio, for desktop assistants. It talks to the running
 * instance with the tenant's CLI token; stdout carries only MCP messages.
 */
export function mcpCommand(program: Command, target: () => Target): void {
  program
    .command('mcp')
    .description('serve AIOS tools over MCP on stdio (for an AI assistant)')
    .action(async () => {
      const t = target();
      const server = createMcpServer(async (method, path, body) => {
        const res = await fetch(`${t.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${t.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : null };
      });
      await server.connect(new StdioServerTransport());
    });
}
