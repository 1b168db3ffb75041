import type nodemailer from 'nodemailer';
import { lazyModule } from '../../core/lazy-module.js';

/** nodemailer, loaded when the first SMTP channel is made. */
const loadNodemailer = lazyModule<typeof nodemailer>('nodemailer');
import type { Channel, OutboundMessage, SendReceipt } from './channel.js';
import { PermanentError, TransientError } from '../../core/errors.js';
import { messageIdForKey } from '../mail/smtp-sender.js';

/** Settings of the instance's outgoing mail (`AIOS_SMTP_URL`, `AIOS_SMTP_FROM`). */
export interface SmtpChannelOptions {
  /** nodemailer connection URL, e.g. `smtps://user:pass@smtp.example.com:465` or `smtp://127.0.0.1:2525`. */
  url: string;
  /** From address, e.g. `"Ace Plumbing" <bookings@ace.example>`. */
  from: string;
}

/**
 * The `email` outbox channel: mail over the instance's SMTP server. The outbox payload carries
 * `subject` and `body` (plain text) and optionally `ics` (iCalendar text, sent as a
 * `text/calendar; method=…` part and an `invite.ics` attachment, `icsMethod` default `REQUEST`),
 * `inReplyTo` and `references` (Message-IDs: the mail joins that thread), `html` (an HTML
 * alternative of `body`) and `attachments` ({ filename, contentType, contentBase64, cid? }[]; with
 * `cid` the attachment is inline, shown where the HTML says `cid:<cid>`).
 * The Message-ID derives from the outbox id, so a retried send carries the same id. SMTP cannot
 * be asked afterwards whether a message went out, so `findSent` knows nothing (a crash in the
 * middle of a send may send it twice; the customer's mail client folds same Message-IDs).
 */
export class SmtpEmailChannel implements Channel {
  readonly name = 'email';
  readonly from: string;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(private readonly opts: SmtpChannelOptions) {
    this.from = opts.from;
    this.transport = loadNodemailer().createTransport(opts.url);
  }

  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const p = msg.payload ?? {};
    const subject = typeof p.subject === 'string' ? p.subject : '';
    const ics = typeof p.ics === 'string' ? p.ics : null;
    const method = typeof p.icsMethod === 'string' ? p.icsMethod : 'REQUEST';
    const messageId = messageIdForKey(msg.outboxId, this.opts.from);
    const inReplyTo = typeof p.inReplyTo === 'string' ? p.inReplyTo : undefined;
    const htmlBody = typeof p.html === 'string' ? p.html : undefined;
    const references = Array.isArray(p.references) ? p.references.filter((r): r is string => typeof r === 'string') : [];
    const attachments = Array.isArray(p.attachments)
      ? (p.attachments as Array<{ filename?: unknown; contentType?: unknown; contentBase64?: unknown; cid?: unknown }>)
          .filter((a) => typeof a.filename === 'string' && typeof a.contentBase64 === 'string')
          .map((a) => ({ filename: a.filename as string, contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream', content: Buffer.from(a.contentBase64 as string, 'base64'), ...(typeof a.cid === 'string' ? { cid: a.cid } : {}) }))
      : [];
    try {
      const info = await this.transport.sendMail({
        from: this.opts.from,
        to: msg.to,
        subject,
        text: msg.body,
        ...(htmlBody ? { html: htmlBody } : {}),
        messageId,
        ...(inReplyTo ? { inReplyTo } : {}),
        ...(references.length ? { references } : {}),
        ...(attachments.length ? { attachments } : {}),
        ...(ics ? { icalEvent: { method, filename: 'invite.ics', content: ics } } : {}),
      });
      return { providerRef: info.messageId ?? messageId, response: { accepted: info.accepted, rejected: info.rejected, response: info.response } };
    } catch (err) {
      const e = err as { responseCode?: number; code?: string; message?: string };
      const text = `SMTP: ${e.message ?? String(err)}`;
      if (typeof e.responseCode === 'number' && e.responseCode >= 500) throw new PermanentError(text, { cause: err, fix: 'Check the recipient address; the mail server refused it.' });
      throw new TransientError(text, { cause: err, fix: 'Check AIOS_SMTP_URL and that the mail server is reachable; the mail stays queued and is retried.' });
    }
  }

  async findSent(): Promise<SendReceipt | null> {
    return null;
  }
}
