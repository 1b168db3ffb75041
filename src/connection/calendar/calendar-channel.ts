import type { Db } from '../../store/db.js';
import type { Channel, OutboundMessage, SendReceipt } from '../channels/channel.js';
import type { SecretBox } from '../framework/secret-box.js';
import { readCredentials } from '../framework/connections.js';
import { ConnectorError } from '../framework/connector-error.js';
import { caldavConnector, type CalDavCredentials } from './caldav-connector.js';

/**
 * The `calendar` outbox channel: a write to a tenant's CalDAV calendar (`calendar.create`,
 * `calendar.update`, `calendar.cancel` of the CalDAV connector), performed when a policy-approved
 * outbox row is delivered. Payload: `connectionId`, `action`, `input` (the action's input) and
 * `key` (the action's idempotency key, `runId:stepId`: the same key names the same event UID, and
 * a create is `If-None-Match: *`, so a repeated delivery changes nothing). A server that cannot be
 * reached throws a retryable ConnectorError (`network`).
 */
export class CalDavChannel implements Channel {
  readonly name = 'calendar';
  constructor(private readonly db: Db, private readonly box: SecretBox) {}

  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const p = msg.payload as { connectionId?: string; action?: string; input?: unknown; key?: string } | undefined;
    if (!p?.connectionId || !p.action || !p.key) throw new ConnectorError('invalid_input', `outbox ${msg.outboxId}: missing connectionId, action or key`);
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', p.connectionId).where('tenant_id', '=', msg.tenantId).where('kind', '=', 'caldav').executeTakeFirst();
    if (!row) throw new ConnectorError('invalid_input', `no CalDAV connection ${p.connectionId} in this business`, { fix: 'Connect the calendar again (aios connect caldav …).' });
    const credentials = readCredentials<CalDavCredentials>(this.box, row);
    if (!credentials) throw new ConnectorError('auth', `CalDAV connection ${p.connectionId} has no credentials`, { fix: 'Connect the calendar again with its user name and password.' });
    const action = caldavConnector.actions?.find((a) => a.id === p.action);
    if (!action) throw new ConnectorError('invalid_input', `the CalDAV connector has no action ${p.action}`);
    const result = await action.run({ tenantId: msg.tenantId, connectionId: row.id, credentials, now: () => new Date() }, action.input.parse(p.input), p.key);
    const href = (result as { href?: string }).href ?? p.key;
    return { providerRef: href, response: result };
  }

  async findSent(): Promise<SendReceipt | null> {
    // Writes are idempotent by UID and precondition: delivering again is the lookup.
    return null;
  }
}
