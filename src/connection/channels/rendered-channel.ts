import type { Channel, OutboundMessage, SendReceipt } from './channel.js';
import { countSegments } from '../../core/sms-segments.js';

/** The text to hand to the provider, and the secrets in it that must not be stored. */
export interface RenderedBody {
  body: string;
  secrets: string[];
}

/**
 * Wraps a channel so the outbox can keep a message with a placeholder (e.g. an approval link
 * written `…/a/[link]`) while the provider gets the real text, rendered in memory at send time.
 * `render` must be deterministic: `findSent` compares the rendered text with the provider's copy
 * after a crash. The secrets are replaced by `[redacted]` in whatever comes back (the provider's
 * response, which the outbox stores, and error messages), so only the provider keeps them.
 */
export function withRenderedBody(inner: Channel, render: (msg: OutboundMessage) => RenderedBody): Channel {
  const call = async <T>(msg: OutboundMessage, fn: (m: OutboundMessage) => Promise<T>): Promise<T> => {
    const r = render(msg);
    try {
      return redact(await fn({ ...msg, body: r.body }), r.secrets);
    } catch (err) {
      if (err instanceof Error) err.message = redact(err.message, r.secrets);
      throw err;
    }
  };
  return {
    name: inner.name,
    // Segments are counted on the rendered text: that is what the provider bills.
    send: (msg) => call<SendReceipt>(msg, async (m) => ({ ...(await inner.send(m)), segments: countSegments(m.body).segments })),
    findSent: (msg, since) => call<SendReceipt | null>(msg, async (m) => {
      const r = await inner.findSent(m, since);
      return r && { ...r, segments: countSegments(m.body).segments };
    }),
  };
}

/** `value` with every occurrence of each secret (in any string inside it) replaced by `[redacted]`. */
export function redact<T>(value: T, secrets: string[]): T {
  const live = secrets.filter((s) => s.length > 0);
  if (live.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return live.reduce((acc, s) => acc.split(s).join('[redacted]'), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
