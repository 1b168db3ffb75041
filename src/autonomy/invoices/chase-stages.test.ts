import { describe, it, expect } from 'vitest';
import { chaseStages, remainingStages } from './chase-stages.js';

const TZ = 'America/Toronto';
const iso = (d: Date) => d.toISOString();

describe('chaseStages', () => {
  it('puts the stages at 09:00 local on the due day minus N, the due day, +7, +14 and +30, with escalating tone', () => {
    const plans = chaseStages(new Date('2026-12-10T17:00:00Z'), TZ, 3, 9);
    expect(plans.map((p) => [p.stage, iso(p.at), p.tone])).toEqual([
      ['before', '2026-12-07T14:00:00.000Z', 'friendly'],
      ['due', '2026-12-10T14:00:00.000Z', 'friendly'],
      ['plus7', '2026-12-17T14:00:00.000Z', 'firm'],
      ['plus14', '2026-12-24T14:00:00.000Z', 'final'],
      ['call', '2027-01-09T14:00:00.000Z', 'final'],
    ]);
  });
  it('uses the local calendar day of the due instant (late evening UTC is the next day in Europe) and follows DST', () => {
    const paris = chaseStages(new Date('2026-03-20T23:30:00Z'), 'Europe/Paris', 0, 9);
    expect(paris[0]).toMatchObject({ stage: 'due' });
    expect(iso(paris[0]!.at)).toBe('2026-03-21T08:00:00.000Z'); // 09:00 CET
    expect(iso(paris[1]!.at)).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(paris[2]!.at)).toBe('2026-04-04T07:00:00.000Z'); // 09:00 CEST after the change
  });
});

describe('remainingStages', () => {
  const plans = chaseStages(new Date('2026-12-10T17:00:00Z'), TZ, 3, 9);
  it('starts at the beginning when nothing is due yet', () => {
    expect(remainingStages(plans, new Date('2026-12-01T00:00:00Z')).todo.map((p) => p.stage)).toEqual(['before', 'due', 'plus7', 'plus14', 'call']);
  });
  it('an invoice first seen 10 days overdue starts with the +7 reminder at once; the earlier ones are missed', () => {
    const r = remainingStages(plans, new Date('2026-12-20T12:00:00Z'));
    expect(r.todo.map((p) => p.stage)).toEqual(['plus7', 'plus14', 'call']);
    expect(r.missed).toEqual(['before', 'due']);
  });
  it('past +30 only the call task is left', () => {
    expect(remainingStages(plans, new Date('2027-02-01T00:00:00Z')).todo.map((p) => p.stage)).toEqual(['call']);
  });
});
