import type { Db } from '../../store/db.js';
import type { Channel, OutboundMessage, SendReceipt } from '../channels/channel.js';
import type { SecretBox } from '../framework/secret-box.js';
import { readCredentials } from '../framework/connections.js';
import { ConnectorError } from '../framework/connector-error.js';
import { callMcpTool, type McpCredentialsT } from './mcp-connector.js';

/**
 * The outbox channel for tool calls on registered MCP servers. The outbox payload carries
 * `connectionId`, `tool` and `arguments`; the call happens only when a policy-approved outbox row
 * is delivered. Tool calls cannot be looked up afterwards, so `findSent` answers null: a crash
 * between the call and its record may repeat a call (declare such tools `approve`).
 */
export class McpChannel implements Channel {
  readonly name = 'mcp';
  constructor(private readonly db: Db, private readonly box: SecretBox) {}

  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const p = msg.payload as { connectionId?: string; tool?: string; arguments?: Record<string, unknown> } | undefined;
    if (!p?.connectionId || !p.tool) throw new ConnectorError('invalid_input', `outbox ${msg.outboxId}: missing connectionId or tool`);
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', p.connectionId).where('tenant_id', '=', msg.tenantId).where('kind', '=', 'mcp').executeTakeFirst();
    if (!row) throw new ConnectorError('invalid_input', `no MCP connection ${p.connectionId} in this business`);
    const creds = readCredentials<McpCredentialsT>(this.box, row);
    if (!creds) throw new ConnectorError('auth', `MCP connection ${p.connectionId} has no credentials`);
    const result = await callMcpTool(creds, p.tool, p.arguments ?? {});
    return { providerRef: `mcp:${p.tool}:${msg.outboxId}`, response: result };
  }

  async findSent(): Promise<SendReceipt | null> {
    return null;
  }
}
