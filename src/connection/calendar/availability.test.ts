import { describe, expect, it } from 'vitest';
import { findSlots, type AvailabilityRules } from './availability.js';
import { InputError } from '../../core/errors.js';

const iso = (d: Date) => d.toISOString().replace('.000', '');
const weekdays = [{ start: '09:00', end: '12:00' }];
const RULES: AvailabilityRules = { timeZone: 'America/Toronto', hours: { 1: weekdays, 2: weekdays, 3: weekdays, 4: weekdays, 5: weekdays } };
const HOUR = { id: 'visit', durationMinutes: 60 };

describe('findSlots across the March DST change (Toronto springs forward Sun 2026-03-08)', () => {
  const from = new Date('2026-03-06T05:00:00Z'); // Fri Mar 6 00:00 EST
  const to = new Date('2026-03-10T04:00:00Z'); // Tue Mar 10 00:00 EDT

  it('keeps 09:00–12:00 local: 14/15/16Z on Friday (EST), 13/14/15Z on Monday (EDT)', () => {
    const slots = findSlots({ rules: RULES, booking: HOUR, busy: [], from, to, now: new Date('2026-03-01T00:00:00Z'), customerTimeZone: 'Europe/Paris' });
    expect(slots.map((s) => iso(s.start))).toEqual(['2026-03-06T14:00:00Z', '2026-03-06T15:00:00Z', '2026-03-06T16:00:00Z', '2026-03-09T13:00:00Z', '2026-03-09T14:00:00Z', '2026-03-09T15:00:00Z']);
    expect(slots.map((s) => s.business.start.time)).toEqual(['09:00', '10:00', '11:00', '09:00', '10:00', '11:00']);
    expect(slots[0]!.business.start).toEqual({ timeZone: 'America/Toronto', date: '2026-03-06', time: '09:00', offset: '-05:00' });
    expect(slots[3]!.business.start.offset).toBe('-04:00');
    // Paris is still on CET (UTC+1) until Mar 29: 14:00Z = 15:00, 13:00Z = 14:00.
    expect(slots[0]!.customer.start).toEqual({ timeZone: 'Europe/Paris', date: '2026-03-06', time: '15:00', offset: '+01:00' });
    expect(slots[3]!.customer.start.time).toBe('14:00');
  });

  it('honours busy events, buffers and minimum notice', () => {
    // now Fri 14:30Z + 60 min notice → first start ≥ 15:30Z: Fri 16:00Z only.
    // Busy Mon 10:00–10:30 EDT = 14:00–14:30Z. With 45 min after each booking, 09:00 (13:00–14:00Z,
    // kept free to 14:45Z) collides, 10:00 collides; 11:00 (15:00Z, 15 min before = 14:45Z) is free.
    const slots = findSlots({
      rules: { ...RULES, minNoticeMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 45 },
      booking: HOUR,
      busy: [
        { start: new Date('2026-03-09T14:00:00Z'), end: new Date('2026-03-09T14:30:00Z') },
        { start: new Date('2026-03-09T15:00:00Z'), end: new Date('2026-03-09T16:00:00Z'), status: 'cancelled' },
      ],
      from,
      to,
      now: new Date('2026-03-06T14:30:00Z'),
    });
    expect(slots.map((s) => iso(s.start))).toEqual(['2026-03-06T16:00:00Z', '2026-03-09T15:00:00Z']);
  });

  it('measures a window that spans the change in real time: 00:00–04:00 on Mar 8 is 3 hours', () => {
    // 00:00 EST = 05:00Z, 01:00 EST = 06:00Z, 02:00 does not exist, 03:00 EDT = 07:00Z, 04:00 EDT = 08:00Z.
    const slots = findSlots({ rules: { timeZone: 'America/Toronto', hours: { 0: [{ start: '00:00', end: '04:00' }] } }, booking: HOUR, busy: [], from, to, now: from });
    expect(slots.map((s) => [iso(s.start), s.business.start.time])).toEqual([
      ['2026-03-08T05:00:00Z', '00:00'],
      ['2026-03-08T06:00:00Z', '01:00'],
      ['2026-03-08T07:00:00Z', '03:00'],
    ]);
  });
});

describe('findSlots across the November change (Toronto falls back Sun 2026-11-01)', () => {
  it('skips holidays and keeps local hours: Fri Oct 30 EDT, Mon Nov 2 holiday, Tue Nov 3 EST', () => {
    const slots = findSlots({
      rules: { ...RULES, holidays: ['2026-11-02'] },
      booking: HOUR,
      busy: [],
      from: new Date('2026-10-30T04:00:00Z'), // Fri 00:00 EDT
      to: new Date('2026-11-04T05:00:00Z'), // Wed 00:00 EST
      now: new Date('2026-10-01T00:00:00Z'),
    });
    expect(slots.map((s) => iso(s.start))).toEqual(['2026-10-30T13:00:00Z', '2026-10-30T14:00:00Z', '2026-10-30T15:00:00Z', '2026-11-03T14:00:00Z', '2026-11-03T15:00:00Z', '2026-11-03T16:00:00Z']);
  });

  it('steps by slotStepMinutes and renders the customer zone (Tokyo has no DST)', () => {
    const slots = findSlots({
      rules: { ...RULES, slotStepMinutes: 30 },
      booking: { id: 'call', durationMinutes: 90 },
      busy: [],
      from: new Date('2026-11-03T05:00:00Z'),
      to: new Date('2026-11-04T05:00:00Z'),
      now: new Date('2026-10-01T00:00:00Z'),
      customerTimeZone: 'Asia/Tokyo',
    });
    // 09:00, 09:30, 10:00, 10:30 EST (a 90-minute call must end by 12:00).
    expect(slots.map((s) => s.business.start.time)).toEqual(['09:00', '09:30', '10:00', '10:30']);
    // 09:00 EST = 14:00Z = 23:00 in Tokyo (UTC+9) the same date.
    expect(slots[0]!.customer.start).toEqual({ timeZone: 'Asia/Tokyo', date: '2026-11-03', time: '23:00', offset: '+09:00' });
  });

  it('rejects bad input with a fix', () => {
    expect(() => findSlots({ rules: { timeZone: 'Mars/Base', hours: {} }, booking: HOUR, busy: [], from: new Date(), to: new Date(), now: new Date() })).toThrow(InputError);
    expect(() => findSlots({ rules: { ...RULES, hours: { 1: [{ start: '9am', end: '12:00' }] } }, booking: HOUR, busy: [], from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z'), now: new Date(0) })).toThrow(/HH:MM/);
  });
});
