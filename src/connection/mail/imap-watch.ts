import type { ImapFlow } from 'imapflow';
import type { ConnectorError } from '../framework/connector-error.js';
import { mapImapError, newImapClient, type ImapCredentials } from './imap-client.js';

/**
 * IMAP IDLE push: keeps one connection open on the mailbox and calls `onNews` when the server
 * reports new messages (`EXISTS` grew), so the engine polls at once instead of waiting for the
 * next scheduled poll. Reconnects with exponential backoff when the connection drops, and calls
 * `onNews` after every (re)connect to catch up on anything that arrived meanwhile.
 */

/** Options for {@link watchMailbox}. */
export interface WatchOptions {
  /** Mailbox to watch (default: the credentials' mailbox). */
  mailbox?: string;
  /** First reconnect delay in milliseconds (default 1000); doubles per failed attempt. */
  minBackoffMs?: number;
  /** Longest reconnect delay in milliseconds (default 60 000). */
  maxBackoffMs?: number;
  /** Connection state changes, e.g. for the connection's status and last_error. */
  onState?: (state: 'connected' | 'disconnected', error?: ConnectorError) => void;
}

/** A running watch. */
export interface MailboxWatch {
  /** True while an IDLE connection is open. */
  readonly connected: boolean;
  /** Resolves once the first connection is open (rejects never; failures are retried). */
  ready(): Promise<void>;
  /** Closes the connection and stops reconnecting. */
  stop(): Promise<void>;
}

/**
 * Watches a mailbox with IDLE. `onNews` may be called more often than messages arrive (it is a
 * hint to poll); its errors are swallowed so the watch keeps running. Network failures are retried
 * with backoff forever; an auth failure is reported through `onState` and ends the watch.
 */
export function watchMailbox(creds: ImapCredentials, onNews: () => void | Promise<void>, opts: WatchOptions = {}): MailboxWatch {
  const mailbox = opts.mailbox ?? creds.mailbox;
  const minBackoff = opts.minBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 60_000;
  let stopped = false;
  let connected = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let client: ImapFlow | undefined;
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));

  const fire = (): void => {
    if (stopped) return;
    void Promise.resolve()
      .then(onNews)
      .catch(() => undefined);
  };

  const schedule = (): void => {
    if (stopped || timer) return;
    const delay = Math.min(maxBackoff, minBackoff * 2 ** attempt);
    attempt++;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
  };

  const lost = (c: ImapFlow, err?: unknown): void => {
    if (c !== client) return;
    client = undefined;
    if (connected) {
      connected = false;
      opts.onState?.('disconnected', err ? mapImapError(err, creds) : undefined);
    } else if (err) {
      opts.onState?.('disconnected', mapImapError(err, creds));
    }
    schedule();
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    let c: Awaited<ReturnType<typeof newImapClient>>;
    try {
      c = await newImapClient(creds, { idle: true });
    } catch (err) {
      const mapped = mapImapError(err, creds);
      opts.onState?.('disconnected', mapped);
      // A refused address does not fix itself (like wrong credentials): stop. A name that does not resolve may.
      if (mapped.retryable) schedule();
      else stopped = true;
      return;
    }
    if (stopped) return;
    client = c;
    c.on('exists', (ev: { count: number; prevCount: number }) => {
      if (ev.count > ev.prevCount) fire();
    });
    c.on('close', () => lost(c));
    try {
      await c.connect();
      await c.mailboxOpen(mailbox);
      if (stopped || c !== client) {
        c.close();
        return;
      }
      attempt = 0;
      connected = true;
      opts.onState?.('connected');
      resolveReady();
      fire();
      // Enter IDLE now rather than after the auto-IDLE delay; resolves when IDLE is broken.
      void c.idle().catch(() => undefined);
    } catch (err) {
      c.close();
      const mapped = mapImapError(err, creds);
      if (mapped.kind === 'auth') {
        // Wrong credentials do not fix themselves: report once and stop (DESIGN §7).
        client = undefined;
        stopped = true;
        opts.onState?.('disconnected', mapped);
        return;
      }
      lost(c, err);
    }
  };

  void connect();

  return {
    get connected() {
      return connected;
    },
    ready: () => readyPromise,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const c = client;
      client = undefined;
      connected = false;
      if (c) await c.logout().catch(() => c.close());
    },
  };
}
