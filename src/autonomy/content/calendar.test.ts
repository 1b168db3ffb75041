import { describe, it, expect } from 'vitest';
import ICAL from 'ical.js';
import { parse } from 'csv-parse/sync';
import { localParts } from '../../core/time-zone.js';
import { bufferCsv, BUFFER_COLUMNS } from '../../connection/publishing/buffer-csv.js';
import { mondayOf, nextMonday, platformSlots, postsPerPlatform } from './calendar.js';
import { extractIdeas } from './ideas.js';
import { PLATFORM_RULES, PLATFORMS } from './platform-rules.js';
import { scheduleIcs } from './schedule-ics.js';
import { planWeek } from './week-planner.js';

const grounded = async () => ({ grounded: true, unsupported: [] });
const ctx = { businessName: 'Ace', link: 'https://ace.example/book', hashtags: ['AcePlumbing'], signOff: '— Ace', banned: [] };
const SOURCE = [
  '# Tips',
  'Always shut the outdoor faucet valve before the first frost. It stops burst pipes.',
  'Check your sump pump every spring by pouring a bucket of water into the pit.',
  'Why does my water heater rumble? Sediment settles at the bottom. Flushing the tank once a year helps.',
  '> A plumber you trust is worth more than a cheap fix that fails twice.',
  'Last week a customer called us about a leak under the sink. We found a loose trap nut and fixed it in five minutes.',
].join('\n\n');

describe('calendar', () => {
  it('puts slots at local best times in the audience time zone, DST included', () => {
    const slots = platformSlots('linkedin', PLATFORM_RULES.linkedin.slots, '2026-12-07', 'America/Toronto', 4);
    expect(slots).toHaveLength(4);
    const local = slots.map((s) => localParts(s.at, 'America/Toronto'));
    expect(local.map((l) => `${l.weekday} ${l.hour}:${l.minute}`)).toEqual(['1 9:0', '2 8:30', '3 12:0', '4 8:30']);
    expect(slots[1]!.at.toISOString()).toBe('2026-12-08T13:30:00.000Z'); // EST, UTC−5
    const summer = platformSlots('linkedin', PLATFORM_RULES.linkedin.slots, '2026-07-06', 'America/Toronto', 1);
    expect(summer[0]!.at.toISOString()).toBe('2026-07-07T12:30:00.000Z'); // EDT, UTC−4
    const paris = platformSlots('linkedin', PLATFORM_RULES.linkedin.slots, '2026-12-07', 'Europe/Paris', 1);
    expect(paris[0]!.at.toISOString()).toBe('2026-12-08T07:30:00.000Z');
  });

  it('never puts two posts on one platform closer than the gap, even when asked for many', () => {
    const slots = platformSlots('x', PLATFORM_RULES.x.slots, '2026-12-07', 'America/Toronto', 15, { platformGapHours: 3, ideaGapHours: 24 });
    expect(slots.length).toBe(15);
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.at.getTime() - slots[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(3 * 3_600_000);
  });

  it('splits the week count over platforms and finds Mondays', () => {
    expect([...postsPerPlatform(20, PLATFORMS).values()]).toEqual([4, 4, 4, 4, 4]);
    expect([...postsPerPlatform(7, ['x', 'linkedin', 'facebook']).values()]).toEqual([3, 2, 2]);
    expect(mondayOf('2026-12-10')).toBe('2026-12-07');
    expect(nextMonday(new Date('2026-12-06T04:00:00Z'), 'America/Toronto')).toBe('2026-12-07'); // Saturday night in Toronto
    expect(() => mondayOf('2026-02-30')).toThrow(expect.objectContaining({ message: '"2026-02-30" is not a date', fix: expect.stringMatching(/YYYY-MM-DD/) }));
  });

  it('keeps posts of the same idea at least ideaGapHours apart across platforms', async () => {
    const ideas = extractIdeas(SOURCE);
    const plan = await planWeek({ ideas, ctx, platforms: PLATFORMS, monday: '2026-12-07', timeZone: 'America/Toronto', postsPerWeek: 20, ground: grounded });
    expect(plan.posts.length + plan.unfilled).toBe(20);
    const byIdea = new Map<number, number[]>();
    for (const p of plan.posts) byIdea.set(p.idea, [...(byIdea.get(p.idea) ?? []), p.at.getTime()]);
    for (const times of byIdea.values()) {
      times.sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(24 * 3_600_000);
    }
    // No idea is on one platform twice.
    expect(new Set(plan.posts.map((p) => `${p.idea}:${p.platform}`)).size).toBe(plan.posts.length);
    // Fewer ideas with a tighter gap: the planner says how many slots stayed empty instead of crowding.
    const tight = await planWeek({ ideas: ideas.slice(0, 1), ctx, platforms: PLATFORMS, monday: '2026-12-07', timeZone: 'America/Toronto', ground: grounded, spacing: { platformGapHours: 3, ideaGapHours: 48 } });
    expect(tight.posts.length).toBeLessThanOrEqual(4);
    expect(tight.unfilled).toBe(20 - tight.posts.length);
  });
});

describe('exports', () => {
  const entries = [
    { id: 'p1', platform: 'linkedin' as const, at: new Date('2026-12-08T13:30:00Z'), text: 'Tip: shut the valve, "now".\n\n#Ace, #Pipes', status: 'approved' },
    { id: 'p2', platform: 'x' as const, at: new Date('2026-12-07T14:00:00Z'), text: 'Short one', status: 'approved' },
  ];

  it('writes an ICS file that parses back to one event per post at its slot', () => {
    const ics = scheduleIcs(entries, new Date('2026-12-01T00:00:00Z'));
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid)).toEqual(['p2@aios-content', 'p1@aios-content']);
    expect(events[1]!.startDate.toJSDate().toISOString()).toBe('2026-12-08T13:30:00.000Z');
    expect(events[1]!.summary).toBe('LinkedIn: Tip: shut the valve, "now". #Ace, #Pipes');
    expect(events[1]!.description).toContain('#Ace, #Pipes');
  });

  it('writes a Buffer bulk CSV that parses back, local posting times, quotes and newlines intact', () => {
    const csv = bufferCsv(entries.map((e) => ({ text: e.text, imageUrl: null, tags: ['aios', e.platform], at: e.at })), 'America/Toronto');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...BUFFER_COLUMNS]);
    expect(rows).toEqual([
      { Text: 'Short one', 'Image URL': '', Tags: 'aios,x', 'Posting Time': '2026-12-07 09:00' },
      { Text: entries[0]!.text, 'Image URL': '', Tags: 'aios,linkedin', 'Posting Time': '2026-12-08 08:30' },
    ]);
  });
});
