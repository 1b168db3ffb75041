import type { ImapFlow } from 'imapflow';
import { z } from 'zod';
import { ConnectorError } from '../framework/connector-error.js';
import { pinnedTarget } from '../framework/address-policy.js';
import { smtpCredentialsSchema } from './smtp-sender.js';

/**
 * IMAP account settings, connection set-up and error mapping shared by the IMAP connector, the
 * write-back actions and the IDLE watcher.
 */

/** Credentials of an `imap` connection. TLS certificates are verified unless `allowSelfSigned`. */
export const imapCredentialsSchema = z.object({
  host: z.string().min(1),
  /** 993 for implicit TLS, 143 for STARTTLS/plain. */
  port: z.number().int().min(1).max(65535).default(993),
  /** true: TLS from the first byte; false: STARTTLS when offered (plain on a test server). */
  secure: z.boolean().default(true),
  user: z.string().min(1),
  password: z.string().min(1),
  mailbox: z.string().min(1).default('INBOX'),
  /** How far back the first poll reads, in days. */
  backfillDays: z.number().int().min(0).max(3650).default(30),
  /** Accept a self-signed or otherwise untrusted certificate (your own server only). */
  allowSelfSigned: z.boolean().default(false),
  /** Outgoing mail for the `email.send` action; absent → the action refuses with a clear error. */
  smtp: smtpCredentialsSchema.optional(),
});
export type ImapCredentials = z.infer<typeof imapCredentialsSchema>;

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  'NoConnection', 'EConnectionClosed', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS', 'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'StateLogout',
]);

/** Maps an imapflow/socket/TLS failure to a ConnectorError with a plain message and a fix. */
export function mapImapError(err: unknown, creds: Pick<ImapCredentials, 'host' | 'port' | 'user'>): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = (err ?? {}) as { code?: string; authenticationFailed?: boolean; serverResponseCode?: string; tlsFailed?: boolean; throttleReset?: number; mailboxMissing?: boolean; message?: string; responseText?: string };
  const where = `${creds.host}:${creds.port}`;
  const detail = e.responseText ?? e.message ?? String(err);
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new ConnectorError('auth', `IMAP server ${where} refused the login for ${creds.user}`, { cause: err, fix: 'Check the user name and password (many providers need an app password), then save the connection again.' });
  }
  if (e.tlsFailed || /CERT|SSL|TLS/.test(e.code ?? '') || /certificate|self[- ]signed|wrong version number|TLS/i.test(e.message ?? '')) {
    return new ConnectorError('network', `secure connection to ${where} failed: the server's TLS certificate is not trusted or TLS is not spoken on this port`, {
      cause: err,
      fix: 'Use port 993 with secure: true (or 143 with secure: false); for your own server with a self-signed certificate set allowSelfSigned: true.',
    });
  }
  if (e.code === 'ETHROTTLE') {
    return new ConnectorError('rate_limit', `IMAP server ${where} is throttling requests`, { cause: err, retryAfterSeconds: Math.ceil((e.throttleReset ?? 60_000) / 1000), fix: 'Wait; it will be retried.' });
  }
  if (e.mailboxMissing) {
    return new ConnectorError('invalid_input', `mailbox does not exist on ${where}: ${detail}`, { cause: err, fix: 'Check the mailbox name in the connection settings (e.g. INBOX).' });
  }
  if (NETWORK_CODES.has(e.code ?? '') || /closed|timed? ?out|socket/i.test(e.message ?? '')) {
    return new ConnectorError('network', `cannot reach IMAP server ${where} (${e.code ?? detail})`, { cause: err, fix: 'Check the host and port and that the server is up; it will be retried with backoff.' });
  }
  return new ConnectorError('protocol', `IMAP server ${where} answered unexpectedly: ${detail}`, { cause: err, fix: 'Retry later; if it persists, check the server log or report it with this message.' });
}

/**
 * A fresh, unconnected client for the checked address of `creds.host` (`address-policy.ts`: a
 * refused address throws ConnectorError `address_refused` before any connection; the certificate
 * is still verified against the host name). Auto-IDLE is off unless `idle` is set (the watcher).
 */
export async function newImapClient(creds: ImapCredentials, opts: { idle?: boolean } = {}): Promise<ImapFlow> {
  const target = await pinnedTarget(creds.host);
  // Loaded at the first mailbox connection: an instance without mail never holds it.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: target.address,
    ...(target.servername ? { servername: target.servername } : {}),
    port: creds.port,
    secure: creds.secure,
    auth: { user: creds.user, pass: creds.password },
    tls: { rejectUnauthorized: !creds.allowSelfSigned },
    logger: false,
    disableAutoIdle: !opts.idle,
    ...(opts.idle ? { autoIdleDelay: 500, maxIdleTime: 5 * 60_000 } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: opts.idle ? 10 * 60_000 : 120_000,
  });
  // An unhandled 'error' event would crash the process; failures surface through the awaited calls.
  client.on('error', () => undefined);
  return client;
}

/**
 * Connects, opens `mailbox` (default: the credentials' mailbox) under a lock, runs `fn`, then
 * logs out. Every failure is rethrown as a ConnectorError.
 */
export async function withMailbox<T>(creds: ImapCredentials, fn: (client: ImapFlow) => Promise<T>, mailbox = creds.mailbox): Promise<T> {
  const client = await newImapClient(creds);
  try {
    await client.connect();
    const lock = await client.getMailboxLock(mailbox);
    try {
      return await fn(client);
    } finally {
      lock.release();
    }
  } catch (err) {
    throw mapImapError(err, creds);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** UIDs (ascending) of messages whose Message-ID header is `messageId` in the open mailbox. */
export async function findByMessageId(client: ImapFlow, messageId: string): Promise<number[]> {
  const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
  return (uids || []).sort((a, b) => a - b);
}
