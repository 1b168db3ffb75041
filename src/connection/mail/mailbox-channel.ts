import type { Db } from '../../store/db.js';
import type { Channel, OutboundMessage, SendReceipt } from '../channels/channel.js';
import type { SecretBox } from '../framework/secret-box.js';
import { readCredentials } from '../framework/connections.js';
import { ConnectorError } from '../framework/connector-error.js';
import { imapConnector, type ImapCredentials } from './imap-connector.js';

/** Actions of the imap connector this channel may run (all effect `write`, idempotent). */
const MAILBOX_ACTIONS = new Set(['email.label', 'email.move', 'email.flag', 'email.mark_handled']);

/**
 * The `mailbox` outbox channel: a change to a tenant's IMAP mailbox (label, move, flag, mark
 * handled — the imap connector's write actions), performed when a policy-approved outbox row is
 * delivered, with the connection's decrypted credentials. Payload: `connectionId`, `action`,
 * `input` (the action's input, validated by its schema here). Every action is idempotent (adding a
 * keyword twice, moving a message already moved), so a repeated delivery changes nothing.
 */
export class MailboxChannel implements Channel {
  readonly name = 'mailbox';
  constructor(private readonly db: Db, private readonly box: SecretBox) {}

  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const p = msg.payload as { connectionId?: string; action?: string; input?: unknown } | undefined;
    if (!p?.connectionId || !p.action) throw new ConnectorError('invalid_input', `outbox ${msg.outboxId}: missing connectionId or action`);
    if (!MAILBOX_ACTIONS.has(p.action)) throw new ConnectorError('invalid_input', `the mailbox channel does not run ${p.action}`);
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', p.connectionId).where('tenant_id', '=', msg.tenantId).where('kind', '=', 'imap').executeTakeFirst();
    if (!row) throw new ConnectorError('invalid_input', `no mail connection ${p.connectionId} in this business`, { fix: 'Connect the mailbox again (aios connect imap …).' });
    const credentials = readCredentials<ImapCredentials>(this.box, row);
    if (!credentials) throw new ConnectorError('auth', `mail connection ${p.connectionId} has no credentials`, { fix: 'Connect the mailbox again with its user name and password.' });
    const action = imapConnector.actions?.find((a) => a.id === p.action);
    if (!action) throw new ConnectorError('invalid_input', `the imap connector has no action ${p.action}`);
    const result = await action.run({ tenantId: msg.tenantId, connectionId: row.id, credentials, now: () => new Date() }, action.input.parse(p.input), msg.outboxId);
    return { providerRef: `${p.action}:${msg.outboxId}`, response: result };
  }

  async findSent(): Promise<SendReceipt | null> {
    // Idempotent writes: delivering again is the lookup.
    return null;
  }
}
