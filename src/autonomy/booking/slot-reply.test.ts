import { describe, expect, it } from 'vitest';
import { readSlotReply } from './slot-reply.js';
import type { SlotOffer } from './booking-api.js';

// Offered on Tue Dec 1 2026, 09:00 in Toronto (UTC−5). Slots: Wed 2 10:00, Thu 3 14:00, Fri 4 10:00.
const offer: SlotOffer = {
  timeZone: 'America/Toronto',
  offeredAt: '2026-12-01T14:00:00.000Z',
  slots: [
    { n: 1, start: '2026-12-02T15:00:00.000Z', end: '2026-12-02T16:00:00.000Z', label: 'Wed, Dec 2, 10:00 a.m.' },
    { n: 2, start: '2026-12-03T19:00:00.000Z', end: '2026-12-03T20:00:00.000Z', label: 'Thu, Dec 3, 2:00 p.m.' },
    { n: 3, start: '2026-12-04T15:00:00.000Z', end: '2026-12-04T16:00:00.000Z', label: 'Fri, Dec 4, 10:00 a.m.' },
  ],
};
const en = (t: string) => readSlotReply(t, offer, { locale: 'en-CA' });
const fr = (t: string) => readSlotReply(t, offer, { locale: 'fr-CA' });
const picked = (r: ReturnType<typeof en>) => (r.kind === 'pick' ? r.slot.n : r.kind);

describe('readSlotReply: picks among the offered slots', () => {
  it.each([
    ['2', 2], ['#2', 2], ['option 3', 3], ['1.', 1], ['2 please', 2], ["I'll take 3", 3], ['the second one', 2], ['first', 1],
    ['the last one', 3], ['two', 2], ['the Thursday one', 2], ['Thursday', 2], ['Wednesday works', 1], ['Friday at 10am', 3],
    ['thursday at 2pm', 2], ['Thu 2pm', 2], ['tomorrow', 1], ['Dec 4 at 10', 3],
  ])('%j → slot %s', (text, n) => expect(picked(en(text))).toBe(n));

  it.each([
    ['2', 2], ['le deuxième', 2], ['la troisième', 3], ['premier', 1], ['jeudi', 2], ['vendredi à 10h', 3], ['demain', 1], ['jeudi à 14h', 2],
  ])('French %j → slot %s', (text, n) => expect(picked(fr(text))).toBe(n));

  it('reads a French reply at an English-speaking business too', () => {
    expect(picked(en('vendredi à 10h'))).toBe(3);
  });
});

describe('readSlotReply: other times, windows, none, cancel', () => {
  it('a specific time that was not offered is a time to check', () => {
    expect(en('Friday at 2pm')).toEqual({ kind: 'time', start: '2026-12-04T19:00:00.000Z' });
    expect(fr('vendredi à 14h30')).toEqual({ kind: 'time', start: '2026-12-04T19:30:00.000Z' });
  });

  it('"tomorrow after 3" is a window from 15:00 local to the end of that day', () => {
    expect(en('tomorrow after 3')).toEqual({ kind: 'window', from: '2026-12-02T20:00:00.000Z', to: '2026-12-03T05:00:00.000Z' });
    expect(fr('demain après 15h')).toEqual({ kind: 'window', from: '2026-12-02T20:00:00.000Z', to: '2026-12-03T05:00:00.000Z' });
  });

  it('"before noon", a part of the day, a question about a day, next week: windows', () => {
    expect(en('Monday before noon')).toEqual({ kind: 'window', from: '2026-12-07T05:00:00.000Z', to: '2026-12-07T17:00:00.000Z' });
    expect(en('Saturday morning')).toEqual({ kind: 'window', from: '2026-12-05T05:00:00.000Z', to: '2026-12-05T17:00:00.000Z' });
    expect(en('can you come tomorrow?')).toEqual({ kind: 'window', from: '2026-12-02T05:00:00.000Z', to: '2026-12-03T05:00:00.000Z' });
    const nextWeek = en('next week');
    expect(nextWeek.kind).toBe('window');
  });

  it.each(['none of those', 'None of them work', 'no', 'neither', 'aucune', 'non'])('%j → none', (t) => expect(en(t).kind).toBe('none'));
  it.each(['cancel', 'Please cancel my appointment', 'annuler', 'Annulez svp'])('%j → cancel', (t) => expect(en(t).kind).toBe('cancel'));
  it.each(['I need to reschedule', 'can we move it', 'je dois reporter'])('%j → reschedule', (t) => expect(en(t).kind).toBe('reschedule'));
});

describe('readSlotReply: never a guess', () => {
  it.each([
    'Thursday or Friday', // two days
    '5', // no fifth slot
    '1 or 2',
    'yesterday at 3pm', // past
    'banana',
    '',
    'today at 8am', // already past at 09:00
  ])('%j → unclear', (t) => expect(en(t).kind).toBe('unclear'));

  it('a weekday matching two offered slots is unclear', () => {
    const two: SlotOffer = { ...offer, slots: [offer.slots[0]!, { n: 2, start: '2026-12-02T20:00:00.000Z', end: '2026-12-02T21:00:00.000Z', label: 'Wed 3pm' }] };
    expect(readSlotReply('Wednesday', two, { locale: 'en-CA' }).kind).toBe('unclear');
    expect(readSlotReply('Wednesday at 3pm', two, { locale: 'en-CA' })).toMatchObject({ kind: 'pick', slot: { n: 2 } });
  });

  it('"yes" accepts only a single offered slot', () => {
    expect(en('yes').kind).toBe('unclear');
    expect(readSlotReply('yes', { ...offer, slots: [offer.slots[1]!] }, { locale: 'en-CA' })).toMatchObject({ kind: 'pick', slot: { n: 2 } });
  });
});
