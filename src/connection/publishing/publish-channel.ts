import type { Db } from '../../store/db.js';
import type { Channel, OutboundMessage, SendReceipt } from '../channels/channel.js';
import type { SecretBox } from '../framework/secret-box.js';
import { readCredentials } from '../framework/connections.js';
import { ConnectorError } from '../framework/connector-error.js';
import { postSigned, type PublishWebhookCredentialsT } from './signed-webhook.js';

/**
 * The outbox channel `publish`: a post delivered to the business's signed webhook for its
 * platform. The outbox payload carries `connectionId` and `post` (the JSON sent); the call happens
 * only for a policy-approved outbox row at the post's slot. The receipt's response holds the
 * receiver's `url` and `id`. A webhook cannot be asked afterwards whether it got a post, so
 * `findSent` answers null; the receiver de-duplicates on `X-AIOS-Delivery`.
 */
export class PublishChannel implements Channel {
  readonly name = 'publish';
  constructor(private readonly db: Db, private readonly box: SecretBox, private readonly now: () => Date = () => new Date(), private readonly fetchImpl?: typeof fetch) {}

  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const p = msg.payload as { connectionId?: string; post?: unknown } | undefined;
    if (!p?.connectionId || !p.post) throw new ConnectorError('invalid_input', `outbox ${msg.outboxId}: missing connectionId or post`);
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', p.connectionId).where('tenant_id', '=', msg.tenantId).where('kind', '=', 'publish-webhook').executeTakeFirst();
    if (!row) throw new ConnectorError('invalid_input', `no publishing webhook ${p.connectionId} in this business`, { fix: 'Add one with `aios connect publish-webhook` and name it in playbooks.content-engine.publish.' });
    const creds = readCredentials<PublishWebhookCredentialsT>(this.box, row);
    if (!creds) throw new ConnectorError('auth', `publishing webhook ${row.name} has no credentials`);
    const r = await postSigned(creds, p.post, msg.outboxId, this.now(), this.fetchImpl);
    return { providerRef: r.id ?? `webhook:${msg.outboxId}`, response: r };
  }

  async findSent(): Promise<SendReceipt | null> {
    return null;
  }
}
