import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';
import type { Connector, ConnectorItem } from '../connection/framework/connector.js';
import type { SecretBox } from '../connection/framework/secret-box.js';
import { Poller } from '../connection/framework/poller.js';
import { readCredentials } from '../connection/framework/connections.js';
import { imapConnector } from '../connection/mail/imap-connector.js';
import { watchMailbox, type MailboxWatch } from '../connection/mail/imap-watch.js';
import type { ImapCredentials } from '../connection/mail/imap-client.js';
import { stripeConnector } from '../connection/stripe/connector.js';
import { fileInboundEmail } from '../records/email-messages.js';
import { caldavConnector } from '../connection/calendar/caldav-connector.js';
import { icsFeedConnector } from '../connection/calendar/ics-feed.js';
import { fileCalendarItem } from '../connection/calendar/file-events.js';
import { mcpConnector } from '../connection/mcp/mcp-connector.js';

/** Every connector kind this build knows. */
export const CONNECTORS: Connector<any>[] = [imapConnector, caldavConnector, icsFeedConnector, stripeConnector, mcpConnector];

/** Files new items into the records, inside the poll's transaction. */
async function fileItem(tx: Db, item: ConnectorItem, ctx: { eventId: string; tenantId: string; connectionId: string }): Promise<void> {
  if (item.type.startsWith('calendar.event.')) return fileCalendarItem(tx, item, ctx);
  if (item.type !== 'email.received') return;
  const p = item.payload as { from?: Array<{ address: string; name: string }>; subject?: string | null; text?: string; messageId?: string | null };
  const from = p.from?.[0];
  if (!from?.address) return;
  await fileInboundEmail(tx, { tenantId: ctx.tenantId, fromAddress: from.address, fromName: from.name || null, subject: p.subject ?? null, text: p.text ?? '', messageId: p.messageId ?? null, eventId: ctx.eventId, at: item.occurredAt });
}

/**
 * Starts polling every connection, and IDLE watches on IMAP connections so new mail is fetched
 * within seconds instead of at the next poll. Returns a stop function.
 */
export async function startConnectors(db: Db, box: SecretBox, log: Logger): Promise<{ poller: Poller; stop(): Promise<void> }> {
  const poller = new Poller({ db, connectors: CONNECTORS, box, log, onItem: fileItem });
  await poller.start();
  const watches: MailboxWatch[] = [];
  const imap = await db.selectFrom('connections').selectAll().where('kind', '=', 'imap').where('status', '=', 'ok').execute();
  for (const row of imap) {
    try {
      const creds = readCredentials<ImapCredentials>(box, row);
      if (creds) watches.push(watchMailbox(creds, () => void poller.pollNow(row.id)));
    } catch (err) {
      log.warn({ connection: row.id, err: err instanceof Error ? err.message : String(err) }, 'cannot watch mailbox');
    }
  }
  return {
    poller,
    stop: async () => {
      for (const w of watches) await w.stop();
      await poller.stop();
    },
  };
}
