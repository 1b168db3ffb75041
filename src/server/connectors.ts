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
import { publishWebhookConnector } from '../connection/publishing/signed-webhook.js';
import { onEmailReceived } from '../awareness/email-received-watcher.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';

/** Every connector kind this build knows. */
export const CONNECTORS: Connector<any>[] = [imapConnector, caldavConnector, icsFeedConnector, stripeConnector, mcpConnector, publishWebhookConnector];

/** What filing needs to raise `email_received` and plan its runs (absent: mail is only filed). */
export interface InboxTriageHooks {
  host: PlaybookHost;
  /** The business's own addresses for a tenant (its sent mail is not triaged), besides the connection's own. */
  ownAddresses(tenantId: string): readonly string[];
}

/** The connection's own addresses: its login when it is an address, and its SMTP From. */
function connectionAddresses(box: SecretBox, row: Parameters<typeof readCredentials>[1] | undefined): string[] {
  if (!row) return [];
  try {
    const c = readCredentials<ImapCredentials>(box, row);
    const from = c?.smtp?.from ?? '';
    return [c?.user ?? '', (from.match(/<([^>]+)>/)?.[1] ?? from)].filter((a) => a.includes('@'));
  } catch {
    return [];
  }
}

/**
 * Files new items into the records, inside the poll's transaction. An inbound email from outside
 * also raises `email_received` and plans its runs there (started after the commit).
 */
export function connectorItemFiler(box: SecretBox, triage: InboxTriageHooks | undefined) {
  return async (tx: Db, item: ConnectorItem, ctx: { eventId: string; tenantId: string; connectionId: string }): Promise<void | (() => Promise<void>)> => {
    if (item.type.startsWith('calendar.event.')) return fileCalendarItem(tx, item, ctx);
    if (item.type !== 'email.received') return;
    const p = item.payload as { from?: Array<{ address: string; name: string }>; subject?: string | null; text?: string; messageId?: string | null };
    const from = p.from?.[0];
    if (!from?.address) return;
    const filed = await fileInboundEmail(tx, { tenantId: ctx.tenantId, fromAddress: from.address, fromName: from.name || null, subject: p.subject ?? null, text: p.text ?? '', messageId: p.messageId ?? null, eventId: ctx.eventId, at: item.occurredAt });
    if (!triage) return;
    const conn = await tx.selectFrom('connections').selectAll().where('id', '=', ctx.connectionId).executeTakeFirst();
    const own = [...triage.ownAddresses(ctx.tenantId), ...connectionAddresses(box, conn)];
    const raised = await onEmailReceived(tx, { tenantId: ctx.tenantId, eventId: ctx.eventId, connectionId: ctx.connectionId, messageId: p.messageId ?? null, from: from.address, subject: p.subject ?? null, contactId: filed.contactId, conversationId: filed.conversationId, at: item.occurredAt }, own);
    if (!raised?.created) return;
    const plans = await triage.host.planRuns(tx, raised.signal);
    return plans.length ? () => triage.host.startPlanned(plans) : undefined;
  };
}

/**
 * Starts polling every connection, and IDLE watches on IMAP connections so new mail is fetched
 * within seconds instead of at the next poll. Returns a stop function.
 */
export async function startConnectors(db: Db, box: SecretBox, log: Logger, triage?: InboxTriageHooks): Promise<{ poller: Poller; stop(): Promise<void> }> {
  const poller = new Poller({ db, connectors: CONNECTORS, box, log, onItem: connectorItemFiler(box, triage) });
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
