import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { checkGroundedness } from './groundedness.js';
import { findMoney } from './money.js';

const t = await createTestDatabase();
afterAll(() => t.close());

const NOW = new Date('2026-12-01T17:00:00Z');
let tid: string;

beforeAll(async () => {
  tid = await insertTenant(t.db, 'maple', '+14165550140');
  await syncKnowledge(t.db, tid, join(import.meta.dirname, '../../demo/knowledge'), { now: NOW });
});

const check = (text: string) => checkGroundedness(t.db, tid, text, { now: NOW });

describe('checkGroundedness', () => {
  it('supports a price that is in the price list and rejects one that is not', async () => {
    expect(await check('Drain cleaning is $149 per drain.')).toEqual({ grounded: true, unsupported: [] });
    const bad = await check('Drain cleaning is $99 per drain.');
    expect(bad.grounded).toBe(false);
    expect(bad.unsupported).toEqual([{ claim: '$99', reason: expect.stringMatching(/\$99 is not in the price list/) }]);
  });

  it('reads prices written in words and in French order', async () => {
    expect((await check('It costs 149 dollars.')).grounded).toBe(true);
    expect((await check('Le débouchage coûte 149 $.')).grounded).toBe(true);
    expect((await check('Un chauffe-eau de 40 gallons coûte 1 895 $ installé.')).grounded).toBe(true);
    expect((await check('A 40-gallon tank is $1,895.00 installed.')).grounded).toBe(true);
    expect((await check('That will be 150 bucks.')).grounded).toBe(true);
    expect((await check('That will be 151 bucks.')).grounded).toBe(false);
  });

  it('checks policy claims: guarantees, discounts, percentages, free, within N hours', async () => {
    expect((await check('We guarantee our repairs for 1 year.')).grounded).toBe(true);
    expect((await check('Seniors get 10% off repairs.')).grounded).toBe(true);
    expect((await check('Estimates for installations are free.')).grounded).toBe(true);
    expect((await check('A technician is usually there within 2 hours of an emergency call.')).grounded).toBe(true);
    const five = await check('All our work is guaranteed for 5 years.');
    expect(five.unsupported[0]).toEqual({ claim: 'All our work is guaranteed for 5 years.', reason: expect.stringMatching(/"5 year" is not stated/) });
    expect((await check('Seniors get 20% off repairs.')).grounded).toBe(false);
    expect((await check('We offer a money-back guarantee.')).grounded).toBe(false);
    expect((await check('A technician is there within 45 minutes.')).grounded).toBe(false);
  });

  it('does not let expired knowledge back a claim', async () => {
    // The fall drain special (free camera inspection) expired on 2026-10-31.
    const r = await check('Get a free camera inspection with your main sewer line cleaning!');
    expect(r.grounded).toBe(false);
  });

  it('ignores sentences without prices or promises', async () => {
    expect(await check('Hi Sam, thanks for reaching out. We can come on Tuesday morning.')).toEqual({ grounded: true, unsupported: [] });
    // "free" of a calendar is availability, not a price: the booking conversation's own sentences.
    for (const t of ['Sorry, we have nothing free then.', 'We have no free time to offer right now; the owner will contact you to find one.', 'Are you free tomorrow at 9?', "I'm sorry, I have no free times in the next days."]) {
      expect(await check(t), t).toEqual({ grounded: true, unsupported: [] });
    }
    // …while "free" of a price still needs backing.
    expect((await check('Your first hot tub repair is free.')).grounded).toBe(false);
    expect((await check('Pool heater tune-ups come free of charge.')).grounded).toBe(false);
  });

  it('works for a tenant whose knowledge is a bare price list', async () => {
    const other = await insertTenant(t.db, 'tiny', '+14165550141');
    const dir = mkdtempSync(join(tmpdir(), 'aios-g-'));
    writeFileSync(join(dir, 'prices.csv'), 'service,price\nLawn mowing,45\n');
    await syncKnowledge(t.db, other, dir, { now: NOW });
    expect((await checkGroundedness(t.db, other, 'Mowing is $45.', { now: NOW })).grounded).toBe(true);
    expect((await checkGroundedness(t.db, other, 'Mowing is $149.', { now: NOW })).grounded).toBe(false);
  });
});

describe('findMoney', () => {
  it('finds amounts in the common written forms', () => {
    const cents = (s: string) => findMoney(s).map((m) => m.cents);
    expect(cents('$149, $1,249.50 and CA$89')).toEqual([14900, 124950, 8900]);
    expect(cents('149 dollars or 149 $ or 149,50 $')).toEqual([14900, 14900, 14950]);
    expect(cents('1 895 $ installé')).toEqual([189500]);
    expect(cents('CAD 2,400 and 300 USD')).toEqual([240000, 30000]);
    expect(cents('Call 416-555-0140, 24/7, 3 to 4 hours')).toEqual([]);
  });
});
