/**
 * Live-call Twilio webhooks (issue 9, AIOS answers the phone), mounted beside the other Twilio
 * routes and checked the same way (size, content type, signature, fields, tenant by `To`):
 * - `POST /incoming` — the incoming-call webhook: rings a person first, or the receptionist
 *   answers, per `voice.answer` in tenant.yaml;
 * - `/dial-result` — the `<Dial>` action: `DialCallStatus=completed` → a person took it; otherwise
 *   the receptionist answers;
 * - `/gather` — one receptionist turn (`SpeechResult`, `Confidence`, `Digits`);
 * - `/transfer-result` — the transfer `<Dial>`'s action: nobody answered → take a message;
 * - `/relay-end` — the `<Connect>` action after a ConversationRelay session (`HandoffData`).
 */
import { relayUrl } from './relay-link.js';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { twilioWebhook } from './schemas/twilio.js';
import type { Services } from './services.js';
import type { TenantInfo } from '../../records/tenants.js';
import { parseConnectEnd, parseDialResult, parseGather, parseIncomingCall, type CallRequest } from '../../connection/twilio/call-forms.js';
import { voiceTwiml, type Verb } from '../../connection/twilio/twiml.js';
import { answerCall, endCall, findCall, recordDialedCall, takeTurn } from '../../autonomy/voice/call-store.js';
import { callLanguage, callPorts, transferTarget } from '../../autonomy/voice/call-ports.js';
import type { TurnInput, TurnOutput } from '../../autonomy/voice/dialogue.js';
import type { Lang } from '../../autonomy/voice/prompts.js';
import { InputError } from '../../core/errors.js';
import { intakeVoiceStatus } from '../intake.js';
import { isOpenAt } from '../../records/opening-hours.js';

/** What the Twilio routes share with these. */
export interface TwilioRouteKit {
  limit: MiddlewareHandler;
  readParams(c: Context): Promise<{ params: Record<string, string | string[]> }>;
  refuse(c: Context, err: unknown): Response | Promise<Response>;
  tenantFor(to: string): TenantInfo;
}

/** Seconds a transfer to the owner rings before the receptionist takes a message. */
export const TRANSFER_RING_SECONDS = 20;

/** BCP 47 tag for Twilio's speech recognition and voice. */
function speechTag(tenant: TenantInfo, lang: Lang): string {
  const configured = tenant.voice.language ?? tenant.locale;
  if (configured.toLowerCase().startsWith(lang) && configured.includes('-')) return configured;
  return lang === 'fr' ? 'fr-CA' : 'en-US';
}

/** Adds the live-call routes to the Twilio app. */
export function mountVoiceRoutes(app: OpenAPIHono, s: Services, kit: TwilioRouteKit): void {
  const url = (path: string) => `${s.publicUrl()}/hooks/twilio${path}`;
  const xml = (c: Context, verbs: Verb[]) => c.body(voiceTwiml(verbs), 200, { 'content-type': 'text/xml' });
  const route = (path: string, summary: string, handle: (c: Context, params: Record<string, string | string[]>) => Promise<Response>) =>
    app.openapi(twilioWebhook(path, summary, kit.limit), async (c) => {
      try {
        const { params } = await kit.readParams(c);
        return await handle(c, params);
      } catch (err) {
        return kit.refuse(c, err);
      }
    });

  const ringNumbers = (t: TenantInfo) => (t.voice.ring.length > 0 ? t.voice.ring : t.owner.phone ? [t.owner.phone] : []);

  /** TwiML of a receptionist turn. */
  const render = (tenant: TenantInfo, lang: Lang, out: TurnOutput): Verb[] => {
    const language = speechTag(tenant, lang);
    if (out.next === 'hangup') return [...out.say.map((text): Verb => ({ verb: 'Say', text, language })), { verb: 'Hangup' }];
    if (out.next === 'transfer') {
      return [...out.say.map((text): Verb => ({ verb: 'Say', text, language })), { verb: 'Dial', numbers: [transferTarget(tenant)!], timeout: TRANSFER_RING_SECONDS, action: url('/transfer-result'), callerId: tenant.phone }];
    }
    // When the caller says nothing, Gather falls through to the Redirect: a turn without speech (silence).
    return [{ verb: 'Gather', action: url('/gather'), language, say: out.say, timeout: 5 }, { verb: 'Redirect', url: url('/gather') }];
  };

  /** The receptionist picks up: a Gather turn loop, or a ConversationRelay session. */
  const receptionist = async (c: Context, tenant: TenantInfo, call: CallRequest) => {
    const lang = callLanguage(tenant);
    const ports = callPorts(s.db, tenant, call, () => s.clock.now());
    const out = await answerCall(s.db, s.host, tenant, call, tenant.voice.mode, ports, lang, s.clock.now());
    if (tenant.voice.mode === 'relay') {
      const wss = relayUrl(s.secretBox, s.publicUrl(), call.callSid);
      return xml(c, [{ verb: 'ConversationRelay', url: wss, action: url('/relay-end'), welcomeGreeting: out.say.join(' '), language: speechTag(tenant, lang), dtmfDetection: true, interruptible: 'any' }]);
    }
    return xml(c, render(tenant, lang, out));
  };

  const dial = async (c: Context, tenant: TenantInfo, call: CallRequest, numbers: string[]) => {
    await recordDialedCall(s.db, tenant, call);
    return xml(c, [{ verb: 'Dial', numbers, timeout: tenant.voice.ring_seconds, action: url('/dial-result'), callerId: call.from.startsWith('+') ? call.from : undefined }]);
  };

  route('/incoming', 'Twilio incoming call: the receptionist answers, rings the owner, or takes a message', async (c, params) => {
    const call = parseIncomingCall(params);
    const tenant = kit.tenantFor(call.to);
    const ring = ringNumbers(tenant);
    const mode = tenant.voice.answer;
    const open = isOpenAt(tenant, s.clock.now());
    const ringFirst = mode === 'off' || mode === 'ring_first' || (mode === 'after_hours' && open !== false);
    if (ringFirst && ring.length > 0) return dial(c, tenant, call, ring);
    if (mode === 'off') return xml(c, [{ verb: 'Hangup' }]);
    return receptionist(c, tenant, call);
  });

  route('/dial-result', 'Twilio result of ringing the owner (unanswered: the receptionist takes over)', async (c, params) => {
    const r = parseDialResult(params);
    const tenant = kit.tenantFor(r.to);
    if (r.dialStatus === 'completed' || r.dialStatus === 'answered') {
      // A person took the call: nothing for AIOS to do, and it is not a missed call either.
      await s.db.updateTable('calls').set({ status: 'ended', ended_at: s.clock.now() }).where('call_sid', '=', r.callSid).where('mode', '=', 'dial').execute();
      return xml(c, [{ verb: 'Hangup' }]);
    }
    if (tenant.voice.answer === 'off') {
      // Nobody took it and AIOS does not answer: a missed call, texted back as before.
      await intakeVoiceStatus(s, tenant, { callSid: r.callSid, accountSid: r.accountSid, from: r.from, to: r.to, callStatus: r.dialStatus });
      return xml(c, [{ verb: 'Hangup' }]);
    }
    return receptionist(c, tenant, r);
  });

  const turn = async (c: Context, call: CallRequest, input: TurnInput) => {
    const tenant = kit.tenantFor(call.to);
    const ports = callPorts(s.db, tenant, call, () => s.clock.now());
    const res = await takeTurn(s.db, tenant.id, call.callSid, input, ports, s.clock.now());
    if (!res) throw new InputError(`call ${call.callSid} is not being answered by AIOS`, { status: 404, fix: 'Point <Gather> actions only at calls that came in through /hooks/twilio/incoming.' });
    if (res.out.next === 'hangup') await endCall(s.db, call.callSid, s.clock.now());
    return xml(c, render(tenant, res.state.lang, res.out));
  };

  route('/gather', 'Twilio speech of the caller: one turn of the receptionist', async (c, params) => {
    const g = parseGather(params);
    const input: TurnInput = g.digits ? { kind: 'digits', digits: g.digits } : g.speech ? { kind: 'speech', text: g.speech, confidence: g.confidence } : { kind: 'silence' };
    return turn(c, g, input);
  });

  route('/transfer-result', 'Twilio result of a transfer to a person', async (c, params) => {
    const r = parseDialResult(params);
    if (r.dialStatus === 'completed' || r.dialStatus === 'answered') {
      await endCall(s.db, r.callSid, s.clock.now());
      return xml(c, [{ verb: 'Hangup' }]);
    }
    return turn(c, r, { kind: 'transfer_failed' });
  });

  route('/relay-end', 'Twilio end of a live media relay (the call continues as TwiML)', async (c, params) => {
    const r = parseConnectEnd(params);
    const tenant = kit.tenantFor(r.to);
    let handoff: { reason?: string } = {};
    try {
      handoff = r.handoffData ? (JSON.parse(r.handoffData) as { reason?: string }) : {};
    } catch {
      handoff = {};
    }
    const target = transferTarget(tenant);
    const call = await findCall(s.db, r.callSid);
    if (handoff.reason === 'transfer' && target && call) {
      return xml(c, [{ verb: 'Dial', numbers: [target], timeout: TRANSFER_RING_SECONDS, action: url('/transfer-result'), callerId: tenant.phone }]);
    }
    await endCall(s.db, r.callSid, s.clock.now());
    return xml(c, [{ verb: 'Hangup' }]);
  });
}
