import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';
import { parseTenantFile } from '../src/records/tenant-file.js';
import { upsertTenant, type TenantInfo } from '../src/records/tenants.js';
import { holdSlot, offerSlots, releaseHold, upcomingBookingFor } from '../src/autonomy/booking/booking-api.js';
import { newId } from '../src/core/ids.js';
import { takeHold } from '../src/autonomy/booking/booking-store.js';

// Tue Dec 1 2026, 09:00 in Toronto.
const NOW = new Date('2026-12-01T14:00:00Z');
let tdb: TestDatabase;
let tenant: TenantInfo;
let contactA: string;
let contactB: string;

async function makeTenant(extra = ''): Promise<TenantInfo> {
  const slug = `bk-${Math.random().toString(36).slice(2, 8)}`;
  const file = parseTenantFile(
    `slug: ${slug}
name: Ace Plumbing
time_zone: America/Toronto
locale: en-CA
phone: "+1416555${String(Math.floor(Math.random() * 9000) + 1000)}"
owner: { name: Sam, phone: "+14165550199" }
profile:
  hours: { mon: ["09:00","17:00"], tue: ["09:00","17:00"], wed: ["09:00","17:00"], thu: ["09:00","17:00"], fri: ["09:00","12:00"], sat: closed, sun: closed }
booking:
  duration_minutes: 60
  min_notice_minutes: 120
  hold_minutes: 10
${extra}`,
    'tenant.yaml',
  );
  const id = await upsertTenant(tdb.db, file);
  return { id, slug, name: file.name, timeZone: file.time_zone, locale: file.locale, currency: file.currency, phone: file.phone, owner: file.owner, profile: file.profile, booking: file.booking, voice: file.voice, playbookSettings: {}, dir: '/nonexistent' };
}

async function contact(t: TenantInfo, phone: string): Promise<string> {
  const id = newId('ct');
  await tdb.db.insertInto('contacts').values({ id, tenant_id: t.id, phone }).execute();
  return id;
}

const req = (contactId: string, start: string, key: string, now = NOW) => ({ contactId, start, channel: 'sms', address: '+14165550101', key, now });

beforeAll(async () => {
  tdb = await createTestDatabase();
  tenant = await makeTenant();
  contactA = await contact(tenant, '+14165550101');
  contactB = await contact(tenant, '+14165550102');
});
afterAll(async () => tdb.close());

describe('offerSlots', () => {
  it('offers three slots inside opening hours, after the notice, spread over days and parts of days, labelled in local time', async () => {
    const offer = await offerSlots(tdb.db, tenant, { now: NOW });
    expect(offer.timeZone).toBe('America/Toronto');
    expect(offer.offeredAt).toBe(NOW.toISOString());
    expect(offer.slots.map((s) => s.n)).toEqual([1, 2, 3]);
    // Earliest: 11:00 today (09:00 + 2 h notice); then another day in the afternoon; then a third day.
    expect(offer.slots[0]).toMatchObject({ start: '2026-12-01T16:00:00.000Z', end: '2026-12-01T17:00:00.000Z', label: 'Tue, Dec 1, 11:00 a.m.' });
    const days = new Set(offer.slots.map((s) => s.start.slice(0, 10)));
    expect(days.size).toBe(3);
    expect(new Date(offer.slots[1]!.start).getUTCHours() - 5).toBeGreaterThanOrEqual(12);
  });

  it('labels in French for a French-speaking business', async () => {
    const fr = { ...tenant, locale: 'fr-CA' };
    const offer = await offerSlots(tdb.db, fr, { now: NOW, count: 1 });
    expect(offer.slots[0]!.label).toBe('mar. 1 déc., 11 h 00');
  });

  it('leaves out calendar busy time, live holds and excluded starts, but not expired holds', async () => {
    const t = await makeTenant();
    const c = await contact(t, '+14165550103');
    await tdb.db.insertInto('calendar_events').values({ id: newId('ev'), tenant_id: t.id, source: 'builtin', external_id: 'x1', uid: 'x1', starts_at: '2026-12-01T16:00:00Z', ends_at: '2026-12-01T17:00:00Z' }).execute();
    const held = await holdSlot(tdb.db, t, req(c, '2026-12-01T17:00:00Z', 'k-live'));
    expect(held.ok).toBe(true);
    const first = await offerSlots(tdb.db, t, { now: NOW, count: 1, exclude: ['2026-12-01T18:00:00.000Z'] });
    expect(first.slots[0]!.start).toBe('2026-12-01T19:00:00.000Z');
    // Ten minutes later the hold has expired: its hour is offered again.
    const later = await offerSlots(tdb.db, t, { now: new Date(NOW.getTime() + 11 * 60_000), count: 1 });
    expect(later.slots[0]!.start).toBe('2026-12-01T17:00:00.000Z');
  });

  it('an empty offer when nothing is free in the window', async () => {
    const offer = await offerSlots(tdb.db, tenant, { now: NOW, from: new Date('2026-12-05T05:00:00Z'), to: new Date('2026-12-07T05:00:00Z') });
    expect(offer.slots).toEqual([]);
  });
});

describe('holdSlot', () => {
  it('two holds of one slot from two pools at the same instant: exactly one wins, the other gets new times', async () => {
    const other = openDb(tdb.url, 5);
    try {
      const start = '2026-12-02T15:00:00.000Z';
      // Warm both pools so both inserts really race.
      await Promise.all([tdb.db.selectFrom('bookings').select('id').execute(), other.db.selectFrom('bookings').select('id').execute()]);
      const [a, b] = await Promise.all([holdSlot(tdb.db, tenant, req(contactA, start, 'race-a')), holdSlot(other.db, tenant, req(contactB, start, 'race-b'))]);
      const wins = [a, b].filter((r) => r.ok);
      expect(wins).toHaveLength(1);
      const loser = [a, b].find((r) => !r.ok)!;
      expect(loser).toMatchObject({ ok: false, reason: 'taken' });
      if (!loser.ok) {
        expect(loser.alternatives.slots.length).toBe(3);
        expect(loser.alternatives.slots.map((s) => s.start)).not.toContain(start);
      }
      const rows = await tdb.db.selectFrom('bookings').select('id').where('tenant_id', '=', tenant.id).where('starts_at', '=', new Date(start)).execute();
      expect(rows).toHaveLength(1);
    } finally {
      await other.db.destroy();
    }
  });

  it('20 customers racing for one overlapping hour across two pools: one hold', async () => {
    const other = openDb(tdb.url, 5);
    try {
      const t = await makeTenant();
      const cs = await Promise.all(Array.from({ length: 20 }, (_, i) => contact(t, `+1416555${2000 + i}`)));
      const results = await Promise.all(cs.map((c, i) => holdSlot(i % 2 ? other.db : tdb.db, t, { ...req(c, i % 3 === 0 ? '2026-12-03T15:00:00Z' : '2026-12-03T15:30:00Z', `r${i}`), end: i % 3 === 0 ? undefined : '2026-12-03T16:30:00Z' })));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    } finally {
      await other.db.destroy();
    }
  });

  it('100 customers holding and booking 5 slots at once from two pools: 5 bookings, no deadlock, no double booking', async () => {
    // Holds being inserted while won holds are being booked: without the per-business booking
    // lock, PostgreSQL can deadlock (40P01) on the exclusion check instead of refusing one side.
    const other = openDb(tdb.url, 10);
    try {
      for (let round = 0; round < 3; round++) {
        const t = await makeTenant();
        const cs = await Promise.all(Array.from({ length: 100 }, (_, i) => contact(t, `+1416556${String(1000 + i)}`)));
        const starts = ['2026-12-02T14:00:00Z', '2026-12-02T15:00:00Z', '2026-12-02T16:00:00Z', '2026-12-03T14:00:00Z', '2026-12-03T15:00:00Z'];
        const booked = await Promise.all(cs.map(async (c, i) => {
          const db = i % 2 ? other.db : tdb.db;
          const held = await holdSlot(db, t, req(c, starts[i % starts.length]!, `race:${round}:${i}`));
          return held.ok ? takeHold(db, t.id, held.holdId, `run:${c}`, {}) : null;
        }));
        expect(booked.filter(Boolean)).toHaveLength(5);
        const live = await tdb.db.selectFrom('bookings').select('starts_at').where('tenant_id', '=', t.id).where('status', '=', 'booked').execute();
        expect(new Set(live.map((r) => r.starts_at.toISOString())).size).toBe(5);
      }
    } finally {
      await other.db.destroy();
    }
  }, 60_000);

  it('the same key returns the same hold; a released or expired hold frees the slot', async () => {
    const start = '2026-12-03T19:00:00.000Z';
    const h1 = await holdSlot(tdb.db, tenant, req(contactA, start, 'idem-1'));
    const h2 = await holdSlot(tdb.db, tenant, req(contactA, start, 'idem-1'));
    expect(h1.ok && h2.ok && h1.holdId === h2.holdId).toBe(true);
    expect(h1).toMatchObject({ start, end: '2026-12-03T20:00:00.000Z', expiresAt: '2026-12-01T14:10:00.000Z' });
    expect((await holdSlot(tdb.db, tenant, req(contactB, start, 'idem-2'))).ok).toBe(false);
    if (h1.ok) {
      await releaseHold(tdb.db, tenant.id, h1.holdId);
      await releaseHold(tdb.db, tenant.id, h1.holdId);
    }
    const h3 = await holdSlot(tdb.db, tenant, req(contactB, start, 'idem-2'));
    expect(h3.ok).toBe(true);
    // h3 expires after 10 minutes: someone else may then hold it.
    const h4 = await holdSlot(tdb.db, tenant, req(contactA, start, 'idem-3', new Date(NOW.getTime() + 10 * 60_000)));
    expect(h4.ok).toBe(true);
    const statuses = await tdb.db.selectFrom('bookings').select(['key', 'status']).where('tenant_id', '=', tenant.id).where('key', 'in', ['idem-1', 'idem-2', 'idem-3']).orderBy('key').execute();
    expect(statuses).toEqual([{ key: 'idem-1', status: 'released' }, { key: 'idem-2', status: 'expired' }, { key: 'idem-3', status: 'held' }]);
  });

  it('buffers keep time between bookings', async () => {
    const t = await makeTenant('  buffer_after_minutes: 30\n');
    const c = await contact(t, '+14165550110');
    expect((await holdSlot(tdb.db, t, req(c, '2026-12-02T15:00:00Z', 'b1'))).ok).toBe(true);
    expect(await holdSlot(tdb.db, t, req(c, '2026-12-02T16:00:00Z', 'b2'))).toMatchObject({ ok: false, reason: 'taken' });
    expect((await holdSlot(tdb.db, t, req(c, '2026-12-02T16:30:00Z', 'b3'))).ok).toBe(true);
  });

  it.each([
    ['outside hours', '2026-12-02T23:00:00Z'],
    ['on a closed day', '2026-12-05T15:00:00Z'],
    ['inside the notice', '2026-12-01T15:00:00Z'],
    ['in the past', '2026-11-30T15:00:00Z'],
    ['past closing on a short day', '2026-12-04T16:30:00Z'],
  ])('a time %s is unavailable, with alternatives', async (_what, start) => {
    const r = await holdSlot(tdb.db, tenant, req(contactA, start, `u-${start}`));
    expect(r).toMatchObject({ ok: false, reason: 'unavailable' });
    if (!r.ok) expect(r.alternatives.slots.length).toBeGreaterThan(0);
    expect(await tdb.db.selectFrom('bookings').select('id').where('key', '=', `u-${start}`).executeTakeFirst()).toBeUndefined();
  });

  it('busy on the calendar is unavailable', async () => {
    const t = await makeTenant();
    const c = await contact(t, '+14165550111');
    await tdb.db.insertInto('calendar_events').values({ id: newId('ev'), tenant_id: t.id, source: 'builtin', external_id: 'y', uid: 'y', starts_at: '2026-12-02T15:30:00Z', ends_at: '2026-12-02T15:45:00Z' }).execute();
    expect(await holdSlot(tdb.db, t, req(c, '2026-12-02T15:00:00Z', 'cal'))).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('bad input is a clear error, nothing stored', async () => {
    await expect(holdSlot(tdb.db, tenant, req(contactA, 'Thursday', 'bad'))).rejects.toThrow(/start: not a date-time/);
    await expect(holdSlot(tdb.db, tenant, { ...req(contactA, '2026-12-02T15:00:00Z', 'bad2'), end: '2026-12-02T14:00:00Z' })).rejects.toThrow(/end must be after start/);
  });
});

describe('upcomingBookingFor', () => {
  it('returns the next booked, not-ended booking that a run owns; holds and cancelled ones are not bookings', async () => {
    const t = await makeTenant();
    const c = await contact(t, '+14165550120');
    expect(await upcomingBookingFor(tdb.db, t.id, c)).toBeNull();
    const future = new Date(Date.now() + 3 * 86_400_000);
    const row = (status: 'held' | 'booked' | 'confirmed' | 'cancelled', hours: number, run: string | null) => ({
      id: newId('bk'), tenant_id: t.id, contact_id: c, channel: 'sms', address: '+14165550120', status, key: newId('k'), run_id: run,
      starts_at: new Date(future.getTime() + hours * 3_600_000), ends_at: new Date(future.getTime() + (hours + 1) * 3_600_000),
      blocked: `[${new Date(future.getTime() + hours * 3_600_000).toISOString()},${new Date(future.getTime() + (hours + 1) * 3_600_000).toISOString()})`,
    });
    await tdb.db.insertInto('bookings').values([row('held', 0, null), row('cancelled', 2, 'run-x'), row('confirmed', 6, 'run-c'), row('booked', 4, 'run-b')]).execute();
    const next = await upcomingBookingFor(tdb.db, t.id, c);
    expect(next).toMatchObject({ runId: 'run-b', status: 'pending' });
  });
});
