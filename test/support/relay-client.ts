import WebSocket from 'ws';
import { computeTwilioSignature } from '../../src/connection/twilio/signature.js';

/** A message AIOS sent on the relay socket. */
export type RelayOut = { type: 'text'; token: string; last: boolean } | { type: 'end'; handoffData: string } | { type: string; [k: string]: unknown };

/**
 * A test client speaking Twilio ConversationRelay's side of the WebSocket: the upgrade is signed
 * like Twilio signs it (X-Twilio-Signature over the wss:// URL, no parameters), then `setup`,
 * `prompt`, `dtmf`, `interrupt` messages; `reply()` collects AIOS's text tokens up to `last: true`.
 */
export class RelayClient {
  readonly received: RelayOut[] = [];
  private waiters: Array<() => void> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      this.received.push(JSON.parse(raw.toString()) as RelayOut);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Opens the socket; `signedUrl` is the public wss:// URL Twilio would use. Rejects with the HTTP status when refused. */
  static async connect(url: string, opts: { authToken?: string | null; signedUrl?: string; signature?: string } = {}): Promise<RelayClient> {
    const headers: Record<string, string> = {};
    if (opts.signature !== undefined) headers['x-twilio-signature'] = opts.signature;
    else if (opts.authToken) headers['x-twilio-signature'] = computeTwilioSignature(opts.authToken, opts.signedUrl ?? url, {});
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RelayClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Resolves when more than `count` messages have arrived. */
  async waitForCount(count: number, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.received.length <= count) {
      if (Date.now() > deadline) throw new Error(`no message within ${ms} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  send(msg: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }
  setup(o: { callSid: string; from: string; to: string; accountSid: string }): void {
    this.send({ type: 'setup', sessionId: 'VX' + '0'.repeat(32), accountSid: o.accountSid, parentCallSid: '', callSid: o.callSid, from: o.from, to: o.to, forwardedFrom: '', callType: 'PSTN', callerName: '', direction: 'inbound', callStatus: 'RINGING', customParameters: {} });
  }
  prompt(voicePrompt: string, lang = 'en-US'): void {
    this.send({ type: 'prompt', voicePrompt, lang, last: true });
  }
  dtmf(digit: string): void {
    this.send({ type: 'dtmf', digit });
  }
  interrupt(utteranceUntilInterrupt: string, durationUntilInterruptMs = 500): void {
    this.send({ type: 'interrupt', utteranceUntilInterrupt, durationUntilInterruptMs });
  }

  /** Waits for messages after index `from` until a `text` with `last: true` or an `end`; returns them. */
  async reply(from: number, ms = 5000): Promise<{ text: string; messages: RelayOut[]; end: RelayOut | undefined }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const msgs = this.received.slice(from);
      const end = msgs.find((m) => m.type === 'end');
      const lastIdx = msgs.findIndex((m) => m.type === 'text' && (m as { last: boolean }).last);
      if (lastIdx >= 0 || end) {
        // An end follows the last token of the same turn: give it a moment to arrive.
        if (!end) await new Promise((r) => setTimeout(r, 30));
        const all = this.received.slice(from);
        const text = all.filter((m) => m.type === 'text').map((m) => (m as { token: string }).token).join('');
        return { text, messages: all, end: all.find((m) => m.type === 'end') };
      }
      if (Date.now() > deadline) throw new Error(`no reply within ${ms} ms; got ${JSON.stringify(msgs)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}
