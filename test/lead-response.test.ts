import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { startHarness, eventually, tenantYaml, AUTO_POLICY, type Harness, type TestTenant } from './support/harness.js';
import { signFormBody } from '../src/connection/forms/signature.js';
import { syncKnowledge } from '../src/knowledge/sync.js';
import { ManualClock } from '../src/core/clock.js';
import { localParts } from '../src/core/time-zone.js';
import type { SlotOffer } from '../src/autonomy/booking/booking-api.js';

// Monday 7 December 2026, 08:00 in Toronto: the business is open Monday to Friday 08:00–18:00.
const clock = new ManualClock('2026-12-07T13:00:00Z');
const SECRET = 'form-secret-0123456789abcdef';
const ZONE = 'America/Toronto';
// A conversation texts one customer several times a day: the daily limit is the policy's, not ours.
const POLICY = AUTO_POLICY.replace('max_per_recipient_per_day: 3', 'max_per_recipient_per_day: 20');
const HOURS = `  hours:\n${['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => `    ${d}: ["08:00", "18:00"]\n`).join('')}    sat: closed\n    sun: closed\n`;
const withHours = (t: TestTenant, extra = '') => tenantYaml(t).replace('profile:\n', `profile:\n${HOURS}`) + extra;
const ACME: TestTenant = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550999', policy: POLICY };
const FRCO: TestTenant = { slug: 'plomberie', phone: '+15145550100', policy: POLICY };
// At most two texts per customer a day: the third text of a conversation is refused by the policy.
const TIGHT: TestTenant = { slug: 'tightco', phone: '+14165550300', policy: AUTO_POLICY.replace('max_per_recipient_per_day: 3', 'max_per_recipient_per_day: 1') };
let h: Harness;

const tid = (slug: string) => h.aios.tenants.bySlugOrThrow(slug).id;
const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);

async function postLead(slug: string, lead: Record<string, unknown>) {
  const body = JSON.stringify(lead);
  const ts = String(Math.floor(clock.now().getTime() / 1000));
  const res = await fetch(`${h.aios.url}/hooks/forms/${slug}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aios-timestamp': ts, 'x-aios-signature': signFormBody(SECRET, ts, body) }, body });
  expect(res.status).toBe(201);
  return (await res.json()) as { signalId: string; contactId: string };
}

async function runOf(signalId: string) {
  return eventually(() => h.aios.db.selectFrom('runs').selectAll().where('trigger_ref', '=', signalId).executeTakeFirst(), 10_000, 'the run');
}

/** The offers the run made, by step id (`conv.offer.0`, …), read from DBOS's checkpoints. */
async function offers(runId: string): Promise<Map<string, SlotOffer>> {
  const steps = (await DBOS.listWorkflowSteps(runId)) ?? [];
  return new Map(steps.filter((s) => /^conv\.offer\./.test(s.name) && s.output).map((s) => [s.name, s.output as SlotOffer]));
}

/** Waits until the customer has received `n` texts and returns them. */
const texts = (to: string, n: number, what: string) => eventually(async () => smsTo(to).length >= n && smsTo(to), 15_000, what);

async function signal(kind: string, subject: string) {
  return eventually(() => h.aios.db.selectFrom('signals').selectAll().where('kind', '=', kind).where('subject', '=', subject).executeTakeFirst(), 15_000, `${kind} signal`);
}

async function waitingForReply(runId: string) {
  await eventually(async () => {
    const r = await h.aios.db.selectFrom('runs').select(['status', 'waiting_for']).where('id', '=', runId).executeTakeFirst();
    return r?.status === 'waiting' && r.waiting_for?.startsWith('reply from');
  }, 15_000, 'the run to wait for a reply');
}

beforeAll(async () => {
  h = await startHarness([
    { ...ACME, files: { 'tenant.yaml': withHours(ACME), 'forms.yaml': `forms:\n  secret: "${SECRET}"\n`,
      'knowledge/prices.md': '---\nkind: pricing\ntitle: Prices\n---\n\n# Prices\n\nA water heater installation costs $1,200 including the removal of the old tank.\n' } },
    { ...FRCO, files: { 'tenant.yaml': withHours(FRCO).replace('time_zone: America/Toronto', 'time_zone: America/Toronto\nlocale: fr-CA'), 'forms.yaml': `forms:\n  secret: "${SECRET}"\n`,
      'knowledge/prix.md': '---\nkind: pricing\ntitle: Prix\n---\n\n# Prix\n\nL\'installation d\'un chauffe-eau coûte 1 200 $, retrait de l\'ancien réservoir compris.\n' } },
    { ...TIGHT, files: { 'tenant.yaml': withHours(TIGHT), 'forms.yaml': `forms:\n  secret: "${SECRET}"\n` } },
  ], { clock });
  await syncKnowledge(h.aios.db, tid(ACME.slug), join(h.home, 'tenants', ACME.slug, 'knowledge'));
  await syncKnowledge(h.aios.db, tid(FRCO.slug), join(h.home, 'tenants', FRCO.slug, 'knowledge'));
}, 60_000);
afterAll(() => h?.stop());

describe('lead-response: a web lead is answered within a minute with three times, and booked by reply', () => {
  it('a lead asking a price gets ONE text with the price and three numbered times, within 60 s', async () => {
    const phone = '+14165550171';
    const lead = await postLead(ACME.slug, { name: 'Ana Silva', phone, message: 'How much is a water heater installation?' });
    const [msg] = await texts(phone, 1, 'the first reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(smsTo(phone)).toHaveLength(1);
    expect(msg!.from).toBe(ACME.phone);
    expect(msg!.body).toContain('Hi Ana');
    expect(msg!.body).toContain('$1,200');
    expect(msg!.body).toMatch(/1\) .+\n2\) .+\n3\) .+/);
    expect(msg!.body).toContain('Reply 1, 2 or 3');
    const run = await runOf(lead.signalId);
    const entry = await eventually(() => h.aios.db.selectFrom('ledger').selectAll().where('run_id', '=', run.id).where('category', '=', 'lead_response').executeTakeFirst(), 5_000, 'ledger');
    expect(Number(entry.response_ms)).toBeGreaterThanOrEqual(0);
    expect(Number(entry.response_ms)).toBeLessThan(60_000);
    const deal = await h.aios.db.selectFrom('deals').selectAll().where('contact_id', '=', lead.contactId).executeTakeFirstOrThrow();
    expect(deal.stage).toBe('new lead');
  });

  it('"2" holds the second slot and raises appointment_requested with the hold', async () => {
    const phone = '+14165550172';
    const lead = await postLead(ACME.slug, { name: 'Ben Roy', phone, message: 'Can someone look at my furnace?' });
    await texts(phone, 1, 'the offer');
    const run = await runOf(lead.signalId);
    await waitingForReply(run.id);
    const offered = (await offers(run.id)).get('conv.offer.0')!;
    expect(offered.slots).toHaveLength(3);
    await h.sms(phone, ACME.phone, '2');
    const sig = await signal('appointment_requested', phone);
    const data = sig.data as Record<string, any>;
    expect(sig.dedup_key).toBe(`appointment:${data.holdId}`);
    expect(data).toMatchObject({ contactId: lead.contactId, channel: 'sms', address: phone });
    const done = await eventually(async () => {
      const r = await h.aios.db.selectFrom('runs').selectAll().where('id', '=', run.id).executeTakeFirst();
      return r?.status === 'completed' && r;
    }, 10_000, 'run completion');
    expect(done.summary).toContain(`slot ${offered.slots[1]!.start}`);
  });

  it('"the Thursday one" (a weekday named) holds the slot on that day', async () => {
    const phone = '+14165550173';
    const lead = await postLead(ACME.slug, { name: 'Chloé Tremblay', phone, message: 'I need a leaking tap fixed' });
    await texts(phone, 1, 'the offer');
    const run = await runOf(lead.signalId);
    await waitingForReply(run.id);
    const offered = (await offers(run.id)).get('conv.offer.0')!;
    const weekday = (iso: string) => new Intl.DateTimeFormat('en-CA', { weekday: 'long', timeZone: ZONE }).format(new Date(iso));
    const unique = offered.slots.find((s) => offered.slots.filter((o) => weekday(o.start) === weekday(s.start)).length === 1);
    expect(unique, 'an offered slot alone on its weekday').toBeDefined();
    await h.sms(phone, ACME.phone, `the ${weekday(unique!.start)} one`);
    const sig = await signal('appointment_requested', phone);
    const hold = await h.aios.db.selectFrom('runs').select('summary').where('id', '=', run.id).executeTakeFirst();
    expect(sig.data).toMatchObject({ contactId: lead.contactId });
    await eventually(async () => (await h.aios.db.selectFrom('runs').select('summary').where('id', '=', run.id).executeTakeFirst())?.summary?.includes(unique!.start), 10_000, `summary with ${unique!.start} (was ${hold?.summary})`);
  });

  it('"none of those" gets three other times, none of them offered before', async () => {
    const phone = '+14165550174';
    const lead = await postLead(ACME.slug, { name: 'Dev Patel', phone, message: 'Drain cleaning please' });
    await texts(phone, 1, 'the offer');
    const run = await runOf(lead.signalId);
    await waitingForReply(run.id);
    await h.sms(phone, ACME.phone, 'none of those work for me');
    const [, second] = await texts(phone, 2, 'new times');
    expect(second!.body).toMatch(/1\) .+\n2\) .+\n3\) .+/);
    const o = await offers(run.id);
    const before = o.get('conv.offer.0')!.slots.map((s) => s.start);
    const after = o.get('conv.offer.1')!.slots.map((s) => s.start);
    expect(after).toHaveLength(3);
    expect(after.filter((s) => before.includes(s))).toEqual([]);
    const none = await h.aios.db.selectFrom('signals').select('id').where('kind', '=', 'appointment_requested').where('subject', '=', phone).execute();
    expect(none).toHaveLength(0);
  });

  it('two leads accepting the same slot at the same instant: one holds it, the other gets an apology and new times', async () => {
    const phones = ['+14165550181', '+14165550182'];
    const leads = await Promise.all(phones.map((phone, i) => postLead(ACME.slug, { name: `Racer ${i}`, phone, message: 'Need a plumber' })));
    await Promise.all(phones.map((p) => texts(p, 1, 'the offer')));
    const runs = await Promise.all(leads.map((l) => runOf(l.signalId)));
    await Promise.all(runs.map((r) => waitingForReply(r.id)));
    const [a, b] = await Promise.all(runs.map(async (r) => (await offers(r.id)).get('conv.offer.0')!));
    expect(a!.slots[0]!.start).toBe(b!.slots[0]!.start);
    await Promise.all(phones.map((p) => h.sms(p, ACME.phone, '1')));
    const outcome = await eventually(async () => {
      const booked = await h.aios.db.selectFrom('signals').select('subject').where('kind', '=', 'appointment_requested').where('subject', 'in', phones).execute();
      const sorry = phones.filter((p) => smsTo(p).length === 2);
      return booked.length === 1 && sorry.length === 1 && { winner: booked[0]!.subject, loser: sorry[0]! };
    }, 15_000, 'one hold and one apology');
    expect(outcome.winner).not.toBe(outcome.loser);
    const apology = smsTo(outcome.loser)[1]!.body;
    expect(apology).toMatch(/just taken/);
    expect(apology).toMatch(/1\) .+/);
    expect(apology).not.toContain(a!.slots[0]!.label);
  });

  it('an unclear reply gets ONE clarifying question; a second goes to the owner, nothing is booked', async () => {
    const phone = '+14165550175';
    const lead = await postLead(ACME.slug, { name: 'Eve Martin', phone, message: 'Quote for a bathroom reno' });
    await texts(phone, 1, 'the offer');
    const run = await runOf(lead.signalId);
    await waitingForReply(run.id);
    await h.sms(phone, ACME.phone, 'purple monkey dishwasher');
    const [, clarify] = await texts(phone, 2, 'the clarifying question');
    expect(clarify!.body).toMatch(/didn't catch that/);
    await waitingForReply(run.id);
    await h.sms(phone, ACME.phone, 'zxqv blorp');
    const owner = await signal('lead_needs_owner', phone);
    expect(owner.data).toMatchObject({ contactId: lead.contactId, phone });
    expect(String((owner.data as any).reason)).toContain('zxqv blorp');
    const [, , last] = await texts(phone, 3, 'the hand-over text');
    expect(last!.body).toMatch(/owner/);
    const booked = await h.aios.db.selectFrom('signals').select('id').where('kind', '=', 'appointment_requested').where('subject', '=', phone).execute();
    expect(booked).toHaveLength(0);
  });

  it('"not interested" closes the deal as lost, politely', async () => {
    const phone = '+14165550176';
    const lead = await postLead(ACME.slug, { name: 'Fay Wong', phone, message: 'Do you install heat pumps?' });
    await texts(phone, 1, 'the offer');
    const run = await runOf(lead.signalId);
    await waitingForReply(run.id);
    await h.sms(phone, ACME.phone, 'Not interested anymore, thanks');
    const [, bye] = await texts(phone, 2, 'the close');
    expect(bye!.body).toMatch(/thanks for letting us know/i);
    const deal = await eventually(async () => {
      const d = await h.aios.db.selectFrom('deals').selectAll().where('contact_id', '=', lead.contactId).executeTakeFirst();
      return d?.stage === 'lost' && d;
    }, 5_000, 'deal lost');
    expect(deal.stage).toBe('lost');
  });

  it('a text the policy refuses mid-conversation hands the lead to the owner instead of waiting on a customer who never got it', async () => {
    const phone = '+14165550183';
    const lead = await postLead(TIGHT.slug, { name: 'Ida', phone, message: 'Gutter repair' });
    await texts(phone, 1, 'the offer');
    const run = await runOf(lead.signalId);
    // Replies to someone who keeps writing are a conversation: the limit of 1 a day counts texts
    // since their last message, and a day holds at most 4 x 1 texts to them.
    for (let n = 2; n <= 4; n++) {
      await waitingForReply(run.id);
      await h.sms(phone, TIGHT.phone, n % 2 ? 'none of those' : 'none of those either');
      await texts(phone, n, `offer ${n}`);
    }
    await waitingForReply(run.id);
    await h.sms(phone, TIGHT.phone, 'still none of those');
    const owner = await signal('lead_needs_owner', phone);
    expect(String((owner.data as any).reason)).toMatch(/text not sent/);
    const done = await eventually(async () => {
      const r = await h.aios.db.selectFrom('runs').selectAll().where('id', '=', run.id).executeTakeFirst();
      return r?.status === 'completed' && r;
    }, 10_000, 'run end');
    expect(done.summary).toMatch(/handed to the owner/);
    expect(smsTo(phone)).toHaveLength(4);
  });

  it('a French lead is answered in French (price from the French knowledge, French offer)', async () => {
    const phone = '+15145550177';
    await postLead(FRCO.slug, { name: 'Élise Gagnon', phone, message: "Bonjour, combien coûte l'installation d'un chauffe-eau ?" });
    const [msg] = await texts(phone, 1, 'the French reply');
    expect(msg!.body).toContain('Bonjour Élise');
    expect(msg!.body).toMatch(/1 200 \$/);
    expect(msg!.body).toContain('Répondez 1, 2 ou 3');
  });

  it('a lead with an email only is handed to the owner (no email channel yet); nobody is texted', async () => {
    const email = 'gus@example.com';
    const lead = await postLead(ACME.slug, { name: 'Gus', email, message: 'Call me about a quote' });
    const sig = await signal('lead_needs_owner', email);
    expect(sig.data).toMatchObject({ contactId: lead.contactId, email });
    const run = await runOf(lead.signalId);
    await eventually(async () => (await h.aios.db.selectFrom('runs').select('status').where('id', '=', run.id).executeTakeFirst())?.status === 'completed', 10_000, 'run end');
  });
});

describe('missed-call-text-back v2: the caller\'s reply continues into the booking conversation', () => {
  it('"can you come tomorrow?" gets three times tomorrow, and "1" books', async () => {
    const caller = '+14165550180';
    await h.voice(caller, ACME.phone, { callerName: 'Hana Kim' });
    await texts(caller, 1, 'the text-back');
    const run = await eventually(() => h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').selectAll('runs').where('signals.subject', '=', caller).executeTakeFirst(), 10_000, 'run');
    expect(run).toMatchObject({ playbook: 'missed-call-text-back', version: 2 });
    await waitingForReply(run.id);
    await h.sms(caller, ACME.phone, 'can you come tomorrow?');
    const [, offerText] = await texts(caller, 2, 'times tomorrow');
    expect(offerText!.body).toMatch(/1\) .+\n2\) .+\n3\) .+/);
    const offered = (await offers(run.id)).get('conv.offer.0')!;
    expect(offered.slots.length).toBeGreaterThan(0);
    const tomorrow = localParts(new Date(clock.now().getTime() + 86_400_000), ZONE);
    for (const s of offered.slots) {
      const l = localParts(new Date(s.start), ZONE);
      expect([l.year, l.month, l.day]).toEqual([tomorrow.year, tomorrow.month, tomorrow.day]);
    }
    await waitingForReply(run.id);
    await h.sms(caller, ACME.phone, '1');
    const sig = await signal('appointment_requested', caller);
    expect((sig.data as any).dealId).toEqual(expect.any(String));
    const deal = await h.aios.db.selectFrom('deals').selectAll().where('id', '=', (sig.data as any).dealId).executeTakeFirstOrThrow();
    expect(deal.source).toBe('missed_call');
  });
});
