/**
 * Twilio ConversationRelay over a WebSocket at `/hooks/twilio/relay` (same HTTP server, `ws` with
 * `noServer`). The upgrade request must carry a valid `X-Twilio-Signature` over the wss:// URL as
 * Twilio requested it (no form parameters) when an auth token is configured; anything else is
 * refused with 403 before the socket opens.
 *
 * Twilio → AIOS: `setup` {callSid, from, to, …}, `prompt` {voicePrompt, lang, last}, `dtmf`
 * {digit}, `interrupt` {utteranceUntilInterrupt, durationUntilInterruptMs}, `error` {description}.
 * AIOS → Twilio: `text` {token, last} (each answer streamed in a few tokens, `last: true` at the
 * end), `language` {ttsLanguage, transcriptionLanguage} when the caller switches to French, and `end` {handoffData} to hand the call back (a transfer; the `<Connect>` action dials).
 * The same dialogue engine as the Gather mode answers every turn.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { verifyTwilioSignature } from '../../connection/twilio/signature.js';
import { RELAY_PATH, relayCallOf } from './relay-link.js';
import { cleanText } from '../../core/clean-text.js';
import { endCall, findCall, takeTurn } from '../../autonomy/voice/call-store.js';
import { callLanguage, callPorts } from '../../autonomy/voice/call-ports.js';
import type { Lang } from '../../autonomy/voice/prompts.js';
import type { TurnInput, TurnOutput } from '../../autonomy/voice/dialogue.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { Services } from './services.js';

/** Path of the ConversationRelay WebSocket. */
export { RELAY_PATH } from './relay-link.js';
/** Largest WebSocket message accepted, in bytes (Twilio's are well under 4 KB). */
export const RELAY_MAX_BYTES = 64 * 1024;

/** Said when a turn fails unexpectedly, before the call is handed to a person (or ended). */
export const RELAY_FAILURE_TEXT = 'Sorry, I am having trouble right now. Let me pass you to someone.';

/** Splits a sentence into a few text tokens (about 4 words each), as a streaming model would. */
export function tokens(text: string): string[] {
  const words = text.split(/(?<=\s)/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 4) out.push(words.slice(i, i + 4).join(''));
  return out.length ? out : [''];
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  socket.destroy();
}

/**
 * Serves ConversationRelay sessions on `server`'s `upgrade` event.
 * @returns a function that closes every open session
 */
export function attachRelaySocket(server: Server, s: Services): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: RELAY_MAX_BYTES });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== RELAY_PATH) return refuse(socket, 404, `no WebSocket at ${path}`);
    const token = s.config.twilio.authToken;
    if (token) {
      const signedUrl = `${s.publicUrl().replace(/^http/, 'ws')}${req.url ?? ''}`;
      const sig = req.headers['x-twilio-signature'];
      if (!verifyTwilioSignature(token, signedUrl, {}, typeof sig === 'string' ? sig : undefined)) {
        s.log.warn({ path, url: signedUrl }, 'relay socket refused: bad signature');
        return refuse(socket, 403, `X-Twilio-Signature missing or invalid for ${signedUrl}`);
      }
    }
    // The URL must be the one AIOS gave Twilio for this call (see relay-link.ts).
    const bound = relayCallOf(s.secretBox, req.url ?? '');
    if (!bound) {
      s.log.warn({ path }, 'relay socket refused: no valid session key');
      return refuse(socket, 403, 'relay session key missing or invalid: connect with the URL from the call\'s TwiML');
    }
    wss.handleUpgrade(req, socket, head, (ws) => session(ws, s, bound));
  };
  server.on('upgrade', onUpgrade);
  return async () => {
    server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  };
}

interface Session {
  callSid: string;
  from: string;
  tenant: TenantInfo;
  transferring: boolean;
  lang: Lang;
}

function session(ws: WebSocket, s: Services, boundCallSid: string): void {
  let current: Session | null = null;
  let queue: Promise<void> = Promise.resolve();
  const send = (msg: Record<string, unknown>) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const speak = (out: TurnOutput) => {
    const text = out.say.join(' ');
    const list = tokens(text);
    list.forEach((token, i) => send({ type: 'text', token, last: i === list.length - 1 }));
    if (out.next === 'transfer') send({ type: 'end', handoffData: JSON.stringify({ reason: 'transfer', why: out.reason ?? null }) });
    if (out.next === 'hangup') send({ type: 'end', handoffData: JSON.stringify({ reason: 'hangup' }) });
  };
  const turn = async (input: TurnInput) => {
    const c = current;
    if (!c) return;
    const res = await takeTurn(s.db, c.tenant.id, c.callSid, input, callPorts(s.db, c.tenant, { callSid: c.callSid, from: c.from }, () => s.clock.now()), s.clock.now());
    if (!res) return send({ type: 'end', handoffData: JSON.stringify({ reason: 'unknown_call' }) });
    c.transferring = res.out.next === 'transfer';
    // A caller who answers in French on an English line: Twilio switches its voice and recognition too.
    if (res.state.lang !== c.lang) {
      c.lang = res.state.lang;
      const tag = c.lang === 'fr' ? 'fr-CA' : 'en-US';
      send({ type: 'language', ttsLanguage: tag, transcriptionLanguage: tag });
    }
    speak(res.out);
  };
  const handle = async (raw: RawData) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(raw.toString()) as Record<string, unknown>;
    } catch {
      s.log.warn('relay: message is not JSON; ignored');
      return;
    }
    const str = (k: string) => (typeof msg[k] === 'string' ? cleanText(msg[k]) : '');
    switch (msg.type) {
      case 'setup': {
        const call = str('callSid') === boundCallSid ? await findCall(s.db, boundCallSid) : undefined;
        const tenant = s.tenants.byNumber(str('to'));
        if (!call || !tenant || call.tenant_id !== tenant.id || call.mode !== 'relay') {
          s.log.warn({ callSid: str('callSid') }, 'relay: setup for a call AIOS is not answering');
          return send({ type: 'end', handoffData: JSON.stringify({ reason: 'unknown_call' }) });
        }
        current = { callSid: call.call_sid, from: call.from_number, tenant, transferring: false, lang: (call.state as { lang?: Lang }).lang ?? callLanguage(tenant) };
        return;
      }
      case 'prompt':
        if (msg.last === false) return; // a partial transcript; the full prompt follows
        return turn({ kind: 'speech', text: str('voicePrompt'), confidence: null });
      case 'dtmf':
        return turn({ kind: 'digits', digits: str('digit') });
      case 'interrupt':
        s.log.debug({ callSid: current?.callSid, heard: str('utteranceUntilInterrupt') }, 'relay: caller interrupted');
        return;
      case 'error':
        s.log.warn({ callSid: current?.callSid, description: str('description') }, 'relay: Twilio reported an error');
        return;
      default:
        s.log.debug({ type: msg.type }, 'relay: unknown message type ignored');
    }
  };
  ws.on('message', (raw) => {
    queue = queue.then(() => handle(raw)).catch((err: unknown) => {
      // The caller must never hear dead air: say so and hand the call back (the <Connect> action ends or transfers it).
      s.log.warn({ err, callSid: current?.callSid }, 'relay turn failed');
      if (current) current.transferring = Boolean(current.tenant.voice.transfer_to ?? current.tenant.owner.phone);
      send({ type: 'text', token: RELAY_FAILURE_TEXT, last: true });
      send({ type: 'end', handoffData: JSON.stringify({ reason: current?.transferring ? 'transfer' : 'hangup', why: 'error' }) });
    });
  });
  ws.on('close', () => {
    queue = queue.then(async () => {
      // A transfer continues at the <Connect> action; otherwise the call is over.
      if (current && !current.transferring) await endCall(s.db, current.callSid, s.clock.now());
    }).catch((err: unknown) => s.log.warn({ err }, 'relay close failed'));
  });
}
