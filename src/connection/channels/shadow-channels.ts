import { AiosError } from '../../core/errors.js';
import type { Channel, ChannelSet, OutboundMessage, SendReceipt } from './channel.js';

/** Marks a channel set built by {@link shadowChannelSet} (survives `{ ...set }` copies). */
export const SHADOW_CHANNELS: unique symbol = Symbol.for('aios.shadow-channels');

/** A call that reached a shadow channel directly (bypassing the outbox): refused and recorded. */
export interface ShadowChannelCall {
  channel: string;
  to: string;
  body: string;
}

/**
 * Channels for a shadow run: they never leave the machine. The outbox does not call them for a
 * shadow run's rows (it records the row as delivered instead, see `deliverOutbox`); code that
 * calls one directly is refused (a permanent error) and the attempt is kept in `calls`.
 */
export function shadowChannelSet(calls: ShadowChannelCall[] = []): ChannelSet & { [SHADOW_CHANNELS]: true } {
  const make = (name: string): Channel => ({
    name: `shadow-${name}`,
    send: async (msg: OutboundMessage): Promise<SendReceipt> => {
      calls.push({ channel: name, to: msg.to, body: msg.body });
      throw new AiosError('shadow_channel', `shadow run: the ${name} channel does not send (message to ${msg.to} kept as "would send")`, { fix: 'Send through the outbox (proposeSms / proposeEmail / …); a shadow run only records what it would send.' });
    },
    findSent: async () => null,
  });
  return { sms: make('sms'), email: make('email'), calendar: make('calendar'), mcp: make('mcp'), publish: make('publish'), [SHADOW_CHANNELS]: true };
}

/** True for a channel set made by {@link shadowChannelSet} (or a copy of one). */
export function isShadowChannelSet(channels: ChannelSet): boolean {
  return (channels as { [SHADOW_CHANNELS]?: boolean })[SHADOW_CHANNELS] === true;
}
