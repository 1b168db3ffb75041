/** One message leaving AIOS through a channel (SMS, email, …). */
export interface OutboundMessage {
  outboxId: string;
  tenantId: string;
  /** Recipient address (E.164 for SMS). */
  to: string;
  /** Sender address (the business's number for SMS). */
  from: string;
  body: string;
  /** The whole outbox payload (channels other than SMS read their arguments from it). */
  payload?: Record<string, unknown>;
}

/** What the provider said about an accepted message. */
export interface SendReceipt {
  /** The provider's id for the message (e.g. Twilio's `SM…` sid). */
  providerRef: string;
  response: unknown;
  /** SMS segments of the text the provider got, when it differs from the stored body (rendered links). */
  segments?: number;
}

/**
 * A way out of the machine. `send` throws TransientError (retry), AuthError or PermanentError
 * (do not retry). `findSent` answers "did an earlier attempt whose outcome we never learnt reach
 * the provider?", so that a send interrupted by a crash is not repeated.
 */
export interface Channel {
  readonly name: string;
  /** The sender address of this channel when it is fixed (the instance's mail From), else absent. */
  readonly from?: string;
  send(msg: OutboundMessage): Promise<SendReceipt>;
  findSent(msg: OutboundMessage, since: Date): Promise<SendReceipt | null>;
}

/** The channels a runtime has, by outbox channel name. */
export interface ChannelSet {
  sms: Channel;
  /** Tool calls on registered MCP servers (present when the runtime can open credentials). */
  mcp?: Channel;
  /** Mail through the instance's SMTP server (present when `AIOS_SMTP_URL` is set). */
  email?: Channel;
  /** Writes to a tenant's CalDAV calendar (present when the runtime can open credentials). */
  calendar?: Channel;
  /** Changes to a tenant's IMAP mailbox: labels, moves, flags (present when the runtime can open credentials). */
  mailbox?: Channel;
  /** Posts to a business's signed publishing webhooks (present when the runtime can open credentials). */
  publish?: Channel;
}
