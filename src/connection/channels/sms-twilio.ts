import type { Channel, OutboundMessage, SendReceipt } from './channel.js';
import { TwilioRestClient } from '../twilio/rest-client.js';

/** SMS through Twilio's REST API (or anything speaking its wire format at `baseUrl`). */
export class TwilioSmsChannel implements Channel {
  readonly name = 'twilio';
  private readonly client: TwilioRestClient;
  private readonly statusCallback: string | undefined;
  /** `statusCallback`: the URL Twilio posts delivery receipts to (only when AIOS is reachable from Twilio). */
  constructor(opts: { baseUrl: string; accountSid: string; authToken: string; timeoutMs?: number; statusCallback?: string }) {
    this.statusCallback = opts.statusCallback;
    this.client = new TwilioRestClient({ baseUrl: opts.baseUrl, accountSid: opts.accountSid, authToken: opts.authToken, timeoutMs: opts.timeoutMs ?? 10_000 });
  }
  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const res = await this.client.sendMessage({ to: msg.to, from: msg.from, body: msg.body, ...(this.statusCallback ? { statusCallback: this.statusCallback } : {}) });
    return { providerRef: res.sid, response: res.raw };
  }
  async findSent(msg: OutboundMessage, since: Date): Promise<SendReceipt | null> {
    const found = await this.client.findRecentMessage({ to: msg.to, from: msg.from, body: msg.body, since });
    return found ? { providerRef: found.sid, response: found } : null;
  }
}
