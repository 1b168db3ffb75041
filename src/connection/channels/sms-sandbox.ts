import type { Channel, OutboundMessage, SendReceipt } from './channel.js';

/**
 * The SMS channel used when no Twilio credentials are configured: the message is recorded in the
 * outbox (shown by `aios outbox`) and nothing leaves the machine.
 */
export class SandboxSmsChannel implements Channel {
  readonly name = 'sandbox';
  async send(msg: OutboundMessage): Promise<SendReceipt> {
    return { providerRef: `sandbox:${msg.outboxId}`, response: { sandbox: true, note: 'recorded only; no Twilio credentials configured' } };
  }
  async findSent(): Promise<SendReceipt | null> {
    return null; // nothing left the machine, so re-recording is harmless
  }
}
