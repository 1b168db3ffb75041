import { describe, it, expect } from 'vitest';
import { nextTurn, startCall, type CallState, type DialoguePorts, type TurnInput } from './dialogue.js';
import type { HoldResult, SlotOffer, SlotReply } from '../booking/booking-api.js';
import { intentOf } from './intents.js';

const slot = (n: number, start: string, label: string) => ({ n, start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), label });
const OFFER: SlotOffer = { timeZone: 'America/Toronto', offeredAt: '2026-11-30T14:00:00Z', slots: [slot(1, '2026-12-01T14:00:00.000Z', 'Tue Dec 1, 09:00'), slot(2, '2026-12-02T18:00:00.000Z', 'Wed Dec 2, 13:00'), slot(3, '2026-12-03T15:00:00.000Z', 'Thu Dec 3, 10:00')] };
const OTHER: SlotOffer = { ...OFFER, slots: [slot(1, '2026-12-04T14:00:00.000Z', 'Fri Dec 4, 09:00')] };

/** Ports with scripted answers: records holds and releases; `taken` starts are refused with OTHER. */
function ports(o: { taken?: string[]; replies?: Record<string, SlotReply> } = {}) {
  const log = { holds: [] as string[], released: [] as string[], offers: [] as string[][] };
  const p: DialoguePorts = {
    business: 'Acme Plumbing', owner: 'Sam', callerId: '+14165550160', transferTo: '+14165550111',
    answer: async (q) => (/price|much|combien/i.test(q) ? { status: 'answered', text: 'Drain cleaning is $149.', gapId: null } : { status: 'unknown', text: '', gapId: 'kgap_1' }),
    offer: async (req) => {
      log.offers.push(req.exclude);
      return req.exclude.length ? OTHER : OFFER;
    },
    readReply: (text) => o.replies?.[text] ?? { kind: 'unclear' },
    hold: async (_s, start): Promise<HoldResult> => {
      log.holds.push(start);
      if (o.taken?.includes(start)) return { ok: false, reason: 'taken', alternatives: OTHER };
      return { ok: true, holdId: `hold_${log.holds.length}`, start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), expiresAt: '2026-11-30T14:15:00Z' };
    },
    release: async (id) => {
      log.released.push(id);
    },
    phone: (raw) => (/^\d{10}$/.test(raw) ? `+1${raw}` : null),
  };
  return { p, log };
}

async function converse(p: DialoguePorts, inputs: Array<string | TurnInput>, lang: 'en' | 'fr' = 'en') {
  let { state } = startCall(p, lang);
  const outs: string[] = [];
  for (const i of inputs) {
    const input: TurnInput = typeof i === 'string' ? { kind: 'speech', text: i, confidence: 0.9 } : i;
    const r = await nextTurn(state, input, p);
    state = r.state;
    outs.push(`${r.out.next}: ${r.out.say.join(' ')}`);
  }
  return { state, outs, last: outs[outs.length - 1]! };
}

const details = ['I need a plumber to book a visit', 'Dana', '12 Elm Street', 'yes'];

describe('receptionist dialogue (offline)', () => {
  it('a slot taken meanwhile gets an apology and new times, never a booking of the taken slot', async () => {
    const { p, log } = ports({ taken: [OFFER.slots[0]!.start] });
    const { state, last } = await converse(p, [...details, { kind: 'digits', digits: '1' }]);
    expect(last).toMatch(/^listen: Sorry, that time was just taken\. I can offer 1, Fri Dec 4, 09:00/);
    expect(state.hold).toBeUndefined();
    expect(state.booked).toBe(false);
    expect(log.holds).toEqual([OFFER.slots[0]!.start]);
  });

  it('"none of those" offers other times; "no" at the confirmation releases the hold and offers again', async () => {
    const { p, log } = ports({ replies: { 'none of those': { kind: 'none' } } });
    const a = await converse(p, [...details, 'none of those']);
    expect(a.last).toMatch(/Fri Dec 4/);
    expect(log.offers[1]).toEqual(OFFER.slots.map((s) => s.start));
    const { p: p2, log: log2 } = ports();
    const b = await converse(p2, [...details, { kind: 'digits', digits: '3' }, 'no']);
    expect(log2.released).toEqual(['hold_1']);
    expect(b.state.hold).toBeUndefined();
    expect(b.state.booked).toBe(false);
    expect(b.last).toMatch(/Fri Dec 4/);
  });

  it('an unclear choice gets one clarifying question, then a message is offered; nothing is held', async () => {
    const { p, log } = ports();
    const { outs } = await converse(p, [...details, 'hmm maybe', 'I am not sure']);
    expect(outs[4]).toMatch(/which time would you like/);
    expect(outs[5]).toMatch(/leave your message/);
    expect(log.holds).toEqual([]);
  });

  it('an unknown question becomes a gap and a promise of a call back, never an invented answer', async () => {
    const { p } = ports();
    const { state, last } = await converse(p, ['Do you service boilers from 1950?']);
    expect(last).toMatch(/I'll have the owner call you back/);
    expect(state.gaps).toEqual(['kgap_1']);
  });

  it('speaks French to a French caller, and transfers an angry caller after releasing an unconfirmed hold', async () => {
    const { p, log } = ports();
    const fr = await converse(p, ['Bonjour, combien pour un débouchage?'], 'en');
    expect(fr.state.lang).toBe('fr');
    expect(fr.last).toMatch(/Puis-je vous aider/);
    const angry = await converse(p, [...details, { kind: 'digits', digits: '2' }, 'This is ridiculous, unacceptable']);
    expect(angry.last).toMatch(/^transfer: I'm connecting you with Sam/);
    expect(log.released).toEqual(['hold_1']);
    expect(angry.state.transferReason).toBe('angry');
  });

  it('without anyone to transfer to, an emergency leaves a message instead of a dead line', async () => {
    const { p } = ports();
    const { last, state } = await converse({ ...p, transferTo: null }, ['There is a gas leak in my kitchen']);
    expect(last).toMatch(/^listen: Nobody can come to the phone.*leave your message/);
    expect(state.stage).toBe('message');
  });

  it('keyword intents, English and French', () => {
    expect(intentOf('I have an emergency, water everywhere')).toBe('emergency');
    expect(intentOf("C'est une urgence")).toBe('emergency');
    expect(intentOf('Can I speak to the owner?')).toBe('person');
    expect(intentOf('Je voudrais prendre rendez-vous')).toBe('book');
    expect(intentOf('Quel est le prix?')).toBe('question');
    expect(intentOf('Oui')).toBe('yes');
  });
});
