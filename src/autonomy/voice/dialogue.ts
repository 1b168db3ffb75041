/**
 * The offline receptionist: a deterministic dialogue engine. One call = one {@link CallState}
 * (stored as `calls.state`); each caller turn goes through {@link nextTurn}, which returns what to
 * say and whether to keep listening, transfer, or hang up. Everything with a side effect (knowledge
 * answers, slots, holds) goes through {@link DialoguePorts}, so the engine itself is pure.
 */
import type { HoldResult, OfferedSlot, SlotOffer, SlotReply } from '../booking/booking-api.js';
import { sanitizeName } from '../../core/sanitize-name.js';
import { intentOf, looksFrench, yesNo } from './intents.js';
import { say, type Lang, type PromptKey } from './prompts.js';

/** Where the conversation is. */
export type Stage = 'listen' | 'name' | 'address' | 'callback' | 'callback_digits' | 'offer' | 'confirm' | 'message' | 'done';

/** The dialogue state of one call (JSON). */
export interface CallState {
  stage: Stage;
  lang: Lang;
  /** Consecutive turns not understood (silence, low confidence). */
  retries: number;
  /** Clarifying questions asked at the current offer. */
  clarified: number;
  name?: string;
  need?: string;
  address?: string;
  callback?: string;
  offer?: SlotOffer;
  /** Slot starts the caller declined (ISO). */
  declined: string[];
  hold?: { holdId: string; start: string; end: string; label: string };
  /** True once the caller accepted the held slot (the run hands it to the appointment playbook). */
  booked: boolean;
  /** A message left for the owner. */
  message?: string;
  /** Knowledge gaps recorded during the call. */
  gaps: string[];
  /** Why the call was transferred (emergency, person, angry), if it was. */
  transferReason?: string;
  /** The last question asked, repeated after "sorry, I didn't catch that". */
  lastPrompt?: string;
}

/** One thing the caller did. `confidence` is Twilio's 0..1 (null when not given). */
export type TurnInput =
  | { kind: 'speech'; text: string; confidence: number | null }
  | { kind: 'digits'; digits: string }
  | { kind: 'silence' }
  /** The transfer `<Dial>` ended without anyone answering. */
  | { kind: 'transfer_failed' };

/** What the engine answers: sentences to say, then listen / transfer / hang up. */
export interface TurnOutput {
  say: string[];
  next: 'listen' | 'transfer' | 'hangup';
  /** For `transfer`: why (emergency, person, angry). */
  reason?: string;
}

/** Side effects the engine needs, provided by the call's host (HTTP turn or WebSocket). */
export interface DialoguePorts {
  business: string;
  owner: string;
  /** The caller's number (E.164) or '' when withheld. */
  callerId: string;
  /** Someone to transfer to, or null when nobody is configured. */
  transferTo: string | null;
  answer(question: string, lang: Lang): Promise<{ status: 'answered' | 'unknown'; text: string; gapId: string | null }>;
  offer(req: { exclude: string[]; from?: string; to?: string }): Promise<SlotOffer>;
  readReply(text: string, offer: SlotOffer): SlotReply;
  hold(state: CallState, start: string, end?: string): Promise<HoldResult>;
  release(holdId: string): Promise<void>;
  /** Normalises a typed or spoken number to E.164, or null. */
  phone(raw: string): string | null;
}

/** Below this Twilio confidence the utterance is asked again. */
export const MIN_CONFIDENCE = 0.5;
/** Turns not understood in a row before the caller is offered to leave a message. */
export const MAX_RETRIES = 2;

/** The state and greeting of a new call. */
export function startCall(ports: DialoguePorts, lang: Lang): { state: CallState; out: TurnOutput } {
  const greeting = say(lang, 'greet', { business: ports.business });
  const state: CallState = { stage: 'listen', lang, retries: 0, clarified: 0, declined: [], booked: false, gaps: [], lastPrompt: greeting };
  return { state, out: { say: [greeting], next: 'listen' } };
}

/** The next turn: a new state (the input is not modified) and what to answer. */
export async function nextTurn(prev: CallState, input: TurnInput, ports: DialoguePorts): Promise<{ state: CallState; out: TurnOutput }> {
  const s: CallState = structuredClone(prev);
  const out = await turn(s, input, ports);
  return { state: s, out };
}

async function turn(s: CallState, input: TurnInput, p: DialoguePorts): Promise<TurnOutput> {
  const t = (key: PromptKey, vars: Record<string, string> = {}) => say(s.lang, key, { business: p.business, owner: p.owner, ...vars });
  const ask = (...lines: string[]): TurnOutput => {
    s.lastPrompt = lines[lines.length - 1];
    return { say: lines, next: 'listen' };
  };
  const hangup = (...lines: string[]): TurnOutput => {
    s.stage = 'done';
    return { say: lines, next: 'hangup' };
  };
  const toMessage = (...lines: string[]): TurnOutput => {
    s.stage = 'message';
    s.retries = 0;
    return ask(...lines, t('askMessage'));
  };
  const transfer = (reason: string): TurnOutput => {
    s.transferReason = reason;
    if (!p.transferTo) return toMessage(t('noTransfer'));
    return { say: [t('transfer')], next: 'transfer', reason };
  };

  if (input.kind === 'transfer_failed') return toMessage(t('noTransfer'));

  // Not understood: silence, or speech below the confidence floor. Asked again twice, then a message.
  const unclear = input.kind === 'silence' || (input.kind === 'speech' && (!input.text.trim() || (input.confidence !== null && input.confidence < MIN_CONFIDENCE)));
  if (unclear) {
    if (s.stage === 'message') return hangup(t('goodbye'));
    s.retries++;
    if (s.retries > MAX_RETRIES) return toMessage(t('again'));
    return ask(t('again'), s.lastPrompt ?? t('menu'));
  }
  s.retries = 0;
  const text = input.kind === 'speech' ? input.text.trim() : '';
  const digits = input.kind === 'digits' ? input.digits.replace(/[^0-9*#]/g, '') : '';
  if (text && s.lang === 'en' && s.stage !== 'message' && looksFrench(text)) s.lang = 'fr';

  if (s.stage === 'message') {
    s.message = text || digits;
    return hangup(t('messageTaken'));
  }

  // Safety first, whatever the stage: emergencies, angry callers, "a person please" go to a person.
  const intent = text ? intentOf(text) : digits === '0' ? 'person' : 'other';
  if (intent === 'emergency' || intent === 'angry' || intent === 'person') {
    if (s.hold && !s.booked) {
      await p.release(s.hold.holdId);
      delete s.hold;
    }
    return transfer(intent);
  }

  switch (s.stage) {
    case 'listen': {
      if (intent === 'goodbye' || intent === 'no') return hangup(t('goodbye'));
      if (intent === 'cancel') {
        s.message = text;
        return ask(t('cancel'), t('anything'));
      }
      if (intent === 'book' || digits === '1') {
        s.need = text || s.need;
        return collect();
      }
      if (intent === 'question' || digits === '2') {
        if (!text) return ask(t('menu'));
        const a = await p.answer(text, s.lang);
        if (a.gapId) s.gaps.push(a.gapId);
        return ask(a.status === 'answered' ? a.text : t('unknown'), t('anything'));
      }
      if (intent === 'yes') return collect();
      return ask(t('again'), t('menu'));
    }
    case 'name': {
      const name = sanitizeName(text.replace(/^(my name is|my name's|it's|it is|this is|i am|i'm|je m'appelle|c'est|moi c'est)\s+/i, ''));
      // A whole sentence is not a name ("I'd like to know your prices first"): ask again.
      if (!name || name.split(' ').length > 4) return ask(t('again'), t('askName'));
      s.name = name;
      return collect();
    }
    case 'address': {
      const address = text.replace(/\s+/g, ' ').slice(0, 200);
      if (address.length < 3) return ask(t('again'), t('askAddress', { name: s.name ?? '' }));
      s.address = address;
      return collect();
    }
    case 'callback':
    case 'callback_digits': {
      if (digits) {
        const n = p.phone(digits.replace(/[*#]/g, ''));
        if (!n) return ask(t('again'), t('askCallbackDigits'));
        s.callback = n;
        return collect();
      }
      const yn = yesNo(text);
      if (yn === 'yes' && p.callerId) {
        s.callback = p.callerId;
        return collect();
      }
      const spoken = p.phone(text.replace(/[^0-9+]/g, ''));
      if (spoken) {
        s.callback = spoken;
        return collect();
      }
      s.stage = 'callback_digits';
      return ask(t('askCallbackDigits'));
    }
    case 'offer':
      return chooseSlot(digits ? (s.offer?.slots.find((x) => String(x.n) === digits[0]) ?? null) : null);
    case 'confirm': {
      const yn = yesNo(text, digits);
      if (yn === 'yes' && s.hold) {
        s.booked = true;
        s.stage = 'listen';
        return ask(t('booked', { label: s.hold.label }), t('anything'));
      }
      if (yn === 'no' && s.hold) {
        s.declined.push(s.hold.start);
        await p.release(s.hold.holdId);
        delete s.hold;
        return offerAgain({});
      }
      return ask(t('again'), s.lastPrompt ?? t('menu'));
    }
    case 'done':
      return hangup(t('goodbye'));
  }

  /** Asks for the next missing detail, then offers times. */
  async function collect(): Promise<TurnOutput> {
    if (!s.name) {
      s.stage = 'name';
      return ask(t('askName'));
    }
    if (!s.address) {
      s.stage = 'address';
      return ask(t('askAddress', { name: s.name }));
    }
    if (!s.callback) {
      if (!p.callerId) {
        s.stage = 'callback_digits';
        return ask(t('askCallbackDigits'));
      }
      s.stage = 'callback';
      return ask(t('askCallback', { last4: p.callerId.slice(-4).split('').join(' ') }));
    }
    const offered = await offerAgain({});
    // "Can you come Thursday at 10?" said before the details: try it against the offer at once.
    if (s.need && s.offer && s.offer.slots.length > 0) {
      const wanted = p.readReply(s.need, s.offer);
      if (wanted.kind === 'pick' || wanted.kind === 'time') return chooseSlot(null, s.need);
    }
    return offered;
  }

  async function offerAgain(win: { from?: string; to?: string }, prefix: string[] = []): Promise<TurnOutput> {
    s.offer = await p.offer({ exclude: s.declined, ...win });
    s.clarified = 0;
    if (s.offer.slots.length === 0) {
      s.stage = 'listen';
      return ask(...prefix, t('noSlots'), t('anything'));
    }
    s.stage = 'offer';
    const list = s.offer.slots.map((x) => `${x.n}, ${x.label}`).join('; ');
    return ask(...prefix, t('offer', { slots: list }));
  }

  async function chooseSlot(picked: OfferedSlot | null, said = text): Promise<TurnOutput> {
    const offer = s.offer!;
    const reply: SlotReply = picked ? { kind: 'pick', slot: picked } : p.readReply(said, offer);
    if (reply.kind === 'pick') return holdIt(reply.slot.start, reply.slot.end);
    if (reply.kind === 'time') return holdIt(reply.start);
    if (reply.kind === 'window') return offerAgain({ from: reply.from, to: reply.to });
    if (reply.kind === 'none') {
      s.declined.push(...offer.slots.map((x) => x.start));
      return offerAgain({});
    }
    if (reply.kind === 'cancel') {
      s.stage = 'listen';
      return ask(t('anything'));
    }
    if (s.clarified === 0) {
      s.clarified++;
      return ask(t('clarify'));
    }
    return toMessage(t('again'));
  }

  async function holdIt(start: string, end?: string): Promise<TurnOutput> {
    const r = await p.hold(s, start, end);
    if (!r.ok) {
      s.offer = r.alternatives;
      if (r.alternatives.slots.length === 0) return offerAgain({}, [t('taken')]);
      s.stage = 'offer';
      s.clarified = 0;
      const list = r.alternatives.slots.map((x) => `${x.n}, ${x.label}`).join('; ');
      return ask(t('taken'), t('offer', { slots: list }));
    }
    const label = offer(s).slots.find((x) => x.start === r.start)?.label ?? labelOf(r.start, s);
    s.hold = { holdId: r.holdId, start: r.start, end: r.end, label };
    s.stage = 'confirm';
    return ask(t('held', { label }));
  }
}

function offer(s: CallState): SlotOffer {
  return s.offer ?? { slots: [], timeZone: 'UTC', offeredAt: new Date(0).toISOString() };
}

/** A spoken label for a start that was not in the offer, in the offer's zone. */
function labelOf(start: string, s: CallState): string {
  const zone = offer(s).timeZone;
  return new Intl.DateTimeFormat(s.lang === 'fr' ? 'fr-CA' : 'en-CA', { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone }).format(new Date(start));
}
