import { createHash } from 'node:crypto';
import type nodemailer from 'nodemailer';
import { z } from 'zod';
import { ConnectorError } from '../framework/connector-error.js';
import { pinnedTarget } from '../framework/address-policy.js';

/**
 * Outgoing mail over SMTP (nodemailer). Replies carry `In-Reply-To` and `References` so they
 * thread in the customer's mail client, and a Message-ID derived from the caller's idempotency
 * key so a retried send can be recognised (e.g. by searching the Sent folder for it).
 */

/** SMTP account settings. TLS certificates are verified unless `allowSelfSigned` is set. */
export const smtpCredentialsSchema = z.object({
  host: z.string().min(1),
  /** TCP port: 465 (implicit TLS), 587 (STARTTLS) or a local test port. */
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  password: z.string().optional(),
  /** Default From address, e.g. `"Shop" <hello@shop.example>`. */
  from: z.string().min(3),
  allowSelfSigned: z.boolean().default(false),
});
export type SmtpCredentials = z.infer<typeof smtpCredentialsSchema>;

/** A reply (or a first message when `inReplyTo` is absent). */
export const sendReplyInputSchema = z.object({
  to: z.string().min(3),
  subject: z.string(),
  text: z.string(),
  /** Message-ID of the message replied to, with angle brackets. */
  inReplyTo: z.string().optional(),
  /** References of the message replied to (its own Message-ID is appended here). */
  references: z.array(z.string()).default([]),
  /** Overrides the account's From address. */
  from: z.string().optional(),
});
export type SendReplyInput = z.input<typeof sendReplyInputSchema>;

/** What a send produced: the Message-ID (with brackets) and the raw message as sent. */
export interface SendResult {
  messageId: string;
  raw: Buffer;
  /** Recipients the server accepted. */
  accepted: string[];
}

/** `Re: ` once: an existing `Re:` (any case, also `RE :`) is kept, never doubled. */
export function replySubject(subject: string): string {
  const s = subject.trim();
  return /^re\s*:/i.test(s) ? s : `Re: ${s}`;
}

/** References for a reply: the original's References plus its Message-ID, without duplicates. */
export function replyReferences(references: string[], inReplyTo: string | undefined): string[] {
  const all = [...references, ...(inReplyTo ? [inReplyTo] : [])].map((r) => r.trim()).filter(Boolean);
  return [...new Set(all)];
}

/**
 * The deterministic Message-ID for an idempotency key: `<aios-<32 hex of sha256(key)>@domain>`.
 * The same key always yields the same id, so a retried send can be detected.
 */
export function messageIdForKey(key: string, fromAddress: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(fromAddress)?.[1] ?? 'aios.invalid';
  return `<aios-${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Maps a nodemailer failure to a ConnectorError kind with a plain message and what to do. */
export function mapSmtpError(err: unknown, host: string): ConnectorError {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.code === 'EAUTH' || e?.responseCode === 535) {
    return new ConnectorError('auth', `SMTP server ${host} refused the login`, { cause: err, fix: 'Check the SMTP user and password (or app password) in the connection settings.' });
  }
  if (/certificate|self[- ]signed|TLS|SSL/i.test(msg) || e?.code === 'ETLS') {
    return new ConnectorError('network', `TLS handshake with SMTP server ${host} failed (certificate not trusted or TLS mismatch)`, {
      cause: err,
      fix: 'Use the provider\'s host name and port 465/587, or set allowSelfSigned: true for your own server.',
    });
  }
  if (typeof e?.responseCode === 'number' && e.responseCode >= 500) {
    return new ConnectorError('invalid_input', `SMTP server ${host} rejected the message: ${msg}`, { cause: err, fix: 'Check the recipient address and the message; this will not succeed on retry.' });
  }
  if (typeof e?.responseCode === 'number' && e.responseCode >= 400) {
    return new ConnectorError('rate_limit', `SMTP server ${host} deferred the message: ${msg}`, { cause: err, fix: 'It will be retried later automatically.' });
  }
  return new ConnectorError('network', `cannot reach SMTP server ${host}: ${msg}`, { cause: err, fix: 'Check the host and port, and that the server is up; it will be retried.' });
}

/** An SMTP sender for one account. `close()` ends the pooled connection. */
export interface SmtpSender {
  /**
   * Sends a reply. `idempotencyKey` (e.g. outbox run id + step id) fixes the Message-ID; without
   * it a random one is used. Throws ConnectorError (auth | network | rate_limit | invalid_input).
   */
  sendReply(input: SendReplyInput, idempotencyKey?: string): Promise<SendResult>;
  /** Checks that the server accepts the connection and the login. */
  verify(): Promise<void>;
  close(): void;
}

/**
 * Creates a sender; nothing connects until the first send or verify. The host is checked then
 * (`address-policy.ts`: a refused address throws ConnectorError `address_refused`) and the
 * transport connects to the checked address, verifying TLS against the host name.
 */
export function createSmtpSender(creds: SmtpCredentials): SmtpSender {
  let transport: ReturnType<typeof nodemailer.createTransport> | null = null;
  const open = async () => {
    if (transport) return transport;
    const target = await pinnedTarget(creds.host);
    const { default: mailer } = await import('nodemailer');
    transport = mailer.createTransport({
      host: target.address,
      port: creds.port,
      secure: creds.secure,
      auth: creds.user ? { user: creds.user, pass: creds.password ?? '' } : undefined,
      tls: { rejectUnauthorized: !creds.allowSelfSigned, ...(target.servername ? { servername: target.servername } : {}) },
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
    return transport;
  };
  return {
    async sendReply(rawInput, idempotencyKey) {
      const input = sendReplyInputSchema.parse(rawInput);
      const from = input.from ?? creds.from;
      const messageId = idempotencyKey ? messageIdForKey(idempotencyKey, from) : messageIdForKey(`${Date.now()}-${Math.random()}`, from);
      const references = replyReferences(input.references, input.inReplyTo);
      const { default: MailComposer } = await import('nodemailer/lib/mail-composer/index.js');
      const composer = new MailComposer({
        from,
        to: input.to,
        subject: input.inReplyTo ? replySubject(input.subject) : input.subject,
        text: input.text,
        messageId,
        date: new Date(),
        ...(input.inReplyTo ? { inReplyTo: input.inReplyTo, references } : {}),
      });
      const node = composer.compile();
      const raw = await new Promise<Buffer>((resolve, reject) => node.build((err, buf) => (err ? reject(err) : resolve(buf))));
      const t = await open();
      try {
        const info = await t.sendMail({ envelope: node.getEnvelope(), raw });
        return { messageId, raw, accepted: (info.accepted ?? []).map(String) };
      } catch (err) {
        throw mapSmtpError(err, creds.host);
      }
    },
    async verify() {
      const t = await open();
      try {
        await t.verify();
      } catch (err) {
        throw mapSmtpError(err, creds.host);
      }
    },
    close() {
      transport?.close();
    },
  };
}
