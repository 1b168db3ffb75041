import type { Db } from '../../src/store/db.js';

const H = 3_600_000;
const D = 24 * H;

/** Ids of the rows {@link seedRecords} wrote. */
export interface SeededRecords {
  tenantId: string;
  contacts: Record<'dana' | 'marco' | 'priya' | 'tom' | 'lee' | 'ana', string>;
  deals: Record<'heater' | 'bathroom' | 'drain' | 'boiler' | 'sump' | 'kitchen' | 'leak', string>;
  invoices: Record<'overdue' | 'open' | 'partial' | 'paid', string>;
  failedRunId: string;
}

/**
 * A plumber's realistic week, written straight into the tables the records pages read: six
 * contacts, a text thread, deals across the pipeline (with days in stage), three upcoming bookings,
 * four invoices (one overdue with two reminders sent), a failed run and three open signals.
 * Times are relative to `now` (ms).
 */
export async function seedRecords(db: Db, slug: string, now = Date.now()): Promise<SeededRecords> {
  const tenantId = (await db.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const at = (ms: number) => new Date(now + ms);
  const c = { dana: 'ct_dana', marco: 'ct_marco', priya: 'ct_priya', tom: 'ct_tom', lee: 'ct_lee', ana: 'ct_ana' };
  await db.insertInto('contacts').values([
    { id: c.dana, tenant_id: tenantId, name: 'Dana Reyes', phone: '+14165550301', email: 'dana.reyes@example.com', source: 'missed_call', created_at: at(-9 * D) },
    { id: c.marco, tenant_id: tenantId, name: 'Marco Bianchi', phone: '+14165550302', email: 'marco@bianchi.example', source: 'form', created_at: at(-6 * D) },
    { id: c.priya, tenant_id: tenantId, name: 'Priya Natarajan', phone: '+14165550303', email: null, source: 'sms', created_at: at(-4 * D) },
    { id: c.tom, tenant_id: tenantId, name: 'Tom O’Neill', phone: '+14165550304', email: 'tom.oneill@example.com', source: 'import', created_at: at(-30 * D) },
    { id: c.lee, tenant_id: tenantId, name: 'Lee Wong', phone: '+14165550305', email: 'lee@wongproperties.example', source: 'email', created_at: at(-2 * D) },
    { id: c.ana, tenant_id: tenantId, name: null, phone: '+14165550306', email: null, source: 'missed_call', created_at: at(-3 * H) },
  ]).execute();
  await db.insertInto('conversations').values({ id: 'cv_dana', tenant_id: tenantId, contact_id: c.dana, channel: 'sms', address: '+14165550301', last_message_at: at(-2 * H) }).execute();
  await db.insertInto('messages').values([
    { id: 'msg_d1', tenant_id: tenantId, conversation_id: 'cv_dana', direction: 'outbound', body: 'Hi, this is Acme Plumbing — sorry we missed your call. How can we help?', created_at: at(-26 * H) },
    { id: 'msg_d2', tenant_id: tenantId, conversation_id: 'cv_dana', direction: 'inbound', body: 'Our water heater is leaking from the bottom. Can someone come this week?', created_at: at(-25 * H) },
    { id: 'msg_d3', tenant_id: tenantId, conversation_id: 'cv_dana', direction: 'outbound', body: 'We can come tomorrow morning. Does 9:00 work?', created_at: at(-24 * H) },
    { id: 'msg_d4', tenant_id: tenantId, conversation_id: 'cv_dana', direction: 'inbound', body: 'Yes please, 9 is perfect. Side door is open.', created_at: at(-2 * H) },
  ]).execute();
  const d = { heater: 'deal_heater', bathroom: 'deal_bath', drain: 'deal_drain', boiler: 'deal_boiler', sump: 'deal_sump', kitchen: 'deal_kitchen', leak: 'deal_leak' };
  await db.insertInto('deals').values([
    { id: d.heater, tenant_id: tenantId, contact_id: c.dana, title: 'Water heater replacement', stage: 'new lead', value_cents: 185000, stage_changed_at: at(-25 * H), last_activity_at: at(-2 * H), created_at: at(-26 * H) },
    { id: d.bathroom, tenant_id: tenantId, contact_id: c.marco, title: 'Bathroom rough-in', stage: 'quoted', value_cents: 640000, stage_changed_at: at(-9 * D), last_activity_at: at(-5 * D), created_at: at(-6 * D) },
    { id: d.drain, tenant_id: tenantId, contact_id: c.priya, title: 'Kitchen drain clog', stage: 'contacted', value_cents: 22500, stage_changed_at: at(-3 * D), last_activity_at: at(-3 * D), created_at: at(-4 * D) },
    { id: d.boiler, tenant_id: tenantId, contact_id: c.lee, title: 'Boiler service, 3 units', stage: 'booked', value_cents: 96000, stage_changed_at: at(-1 * D), last_activity_at: at(-1 * D), created_at: at(-2 * D) },
    { id: d.sump, tenant_id: tenantId, contact_id: c.tom, title: 'Sump pump install', stage: 'won', value_cents: 120000, stage_changed_at: at(-12 * D), last_activity_at: at(-12 * D), created_at: at(-30 * D) },
    { id: d.kitchen, tenant_id: tenantId, contact_id: c.tom, title: 'Kitchen sink swap', stage: 'done', value_cents: 45000, stage_changed_at: at(-20 * D), last_activity_at: at(-20 * D), created_at: at(-28 * D) },
    { id: d.leak, tenant_id: tenantId, contact_id: c.ana, title: 'Missed call: leak', stage: 'new lead', value_cents: null, stage_changed_at: at(-3 * H), last_activity_at: at(-3 * H), created_at: at(-3 * H) },
  ]).execute();
  const slot = (startMs: number, mins: number) => ({ starts_at: at(startMs), ends_at: at(startMs + mins * 60_000), blocked: `[${at(startMs).toISOString()},${at(startMs + mins * 60_000).toISOString()})` });
  // Tomorrow and the day after at set local hours in the business's zone (Toronto: UTC−5 in winter, −4 in summer).
  const offsetH = new Date(now).toLocaleString('en-US', { timeZone: 'America/Toronto', timeZoneName: 'shortOffset' }).endsWith('-4') ? 4 : 5;
  const localDay = new Date(new Date(now).toLocaleDateString('en-CA', { timeZone: 'America/Toronto' }) + 'T00:00:00Z').getTime();
  const local = (days: number, hour: number, min = 0) => localDay + days * D + (hour + offsetH) * H + min * 60_000 - now;
  await db.insertInto('bookings').values([
    { id: 'bk_dana', tenant_id: tenantId, contact_id: c.dana, channel: 'sms', address: '+14165550301', ...slot(local(1, 9), 90), status: 'confirmed', key: 'seed:bk_dana', name: 'Dana Reyes', need: 'Water heater leaking from the bottom', location: '12 Elm St', deal_id: d.heater },
    { id: 'bk_lee', tenant_id: tenantId, contact_id: c.lee, channel: 'email', address: 'lee@wongproperties.example', ...slot(local(1, 13, 30), 120), status: 'booked', key: 'seed:bk_lee', name: 'Lee Wong', need: 'Annual boiler service, 3 units', location: '400 King St W', deal_id: d.boiler },
    { id: 'bk_priya', tenant_id: tenantId, contact_id: c.priya, channel: 'sms', address: '+14165550303', ...slot(local(2, 10), 60), status: 'booked', key: 'seed:bk_priya', name: 'Priya Natarajan', need: 'Kitchen drain clog', location: null },
  ]).execute();
  const i = { overdue: 'inv_overdue', open: 'inv_open', partial: 'inv_partial', paid: 'inv_paid' };
  await db.insertInto('invoices').values([
    { id: i.overdue, tenant_id: tenantId, contact_id: c.tom, number: 'INV-1042', external_ref: 'seed-1042', source: 'csv', status: 'overdue', currency: 'CAD', amount_cents: 120000, due_at: at(-16 * D), issued_at: at(-30 * D), customer_name: 'Tom O’Neill', customer_email: 'tom.oneill@example.com' },
    { id: i.open, tenant_id: tenantId, contact_id: c.lee, number: 'INV-1051', external_ref: 'seed-1051', source: 'csv', status: 'open', currency: 'CAD', amount_cents: 96000, due_at: at(12 * D), issued_at: at(-2 * D), customer_name: 'Lee Wong', customer_email: 'lee@wongproperties.example' },
    { id: i.partial, tenant_id: tenantId, contact_id: c.marco, number: 'INV-1047', external_ref: 'seed-1047', source: 'csv', status: 'open', currency: 'CAD', amount_cents: 64000, amount_paid_cents: 20000, due_at: at(3 * D), issued_at: at(-10 * D), customer_name: 'Marco Bianchi', customer_email: 'marco@bianchi.example' },
    { id: i.paid, tenant_id: tenantId, contact_id: c.tom, number: 'INV-1038', external_ref: 'seed-1038', source: 'csv', status: 'paid', currency: 'CAD', amount_cents: 45000, amount_paid_cents: 45000, due_at: at(-18 * D), issued_at: at(-28 * D), paid_at: at(-17 * D), customer_name: 'Tom O’Neill', customer_email: 'tom.oneill@example.com' },
  ]).execute();
  const chaseRun = 'run_seed_chase';
  const failedRunId = 'run_seed_failed';
  await db.insertInto('runs').values([
    { id: chaseRun, tenant_id: tenantId, playbook: 'invoice-chase', version: 1, status: 'waiting', waiting_for: 'the next reminder (+30 d)', trigger_type: 'signal', trigger_ref: 'sig_seed_overdue', summary: null, started_at: at(-16 * D) },
    { id: failedRunId, tenant_id: tenantId, playbook: 'review-request', version: 1, status: 'failed', trigger_type: 'signal', trigger_ref: 'sig_seed_review', error: 'SMTP 550: mailbox unavailable (tom.oneil@example.com)', started_at: at(-5 * H), finished_at: at(-5 * H) },
  ]).execute();
  await db.insertInto('invoice_chases').values({ invoice_id: i.overdue, tenant_id: tenantId, run_id: chaseRun, status: 'active', balance_cents_at_start: 120000, started_at: at(-16 * D) }).execute();
  await db.insertInto('invoice_reminders').values([
    { id: 'rem_1', tenant_id: tenantId, invoice_id: i.overdue, run_id: chaseRun, stage: 'due', channel: 'email', recipient: 'tom.oneill@example.com', at: at(-16 * D), outcome: 'sent' },
    { id: 'rem_2', tenant_id: tenantId, invoice_id: i.overdue, run_id: chaseRun, stage: 'plus7', channel: 'sms', recipient: '+14165550304', at: at(-9 * D), outcome: 'sent' },
  ]).execute();
  await db.insertInto('signals').values([
    { id: 'sig_seed_overdue', tenant_id: tenantId, kind: 'invoice_overdue', subject: i.overdue, severity: 'high', status: 'handling', dedup_key: `invoice_overdue:${i.overdue}`, run_id: chaseRun, data: JSON.stringify({ invoiceId: i.overdue, number: 'INV-1042', dueAt: at(-16 * D).toISOString(), balanceCents: 120000, currency: 'CAD', customerEmail: 'tom.oneill@example.com', customerName: 'Tom O’Neill', contactId: c.tom }), created_at: at(-16 * D) },
    { id: 'sig_seed_stalled', tenant_id: tenantId, kind: 'deal_stalled', subject: d.bathroom, severity: 'normal', status: 'open', dedup_key: `deal_stalled:${d.bathroom}`, data: JSON.stringify({ dealId: d.bathroom, contactId: c.marco, stage: 'quoted', lastActivityAt: at(-5 * D).toISOString(), days: 5 }), created_at: at(-2 * D) },
    { id: 'sig_seed_unanswered', tenant_id: tenantId, kind: 'email_unanswered', subject: 'lee@wongproperties.example', severity: 'low', status: 'open', dedup_key: 'email_unanswered:lee', created_at: at(-6 * H) },
  ]).execute();
  return { tenantId, contacts: c, deals: d, invoices: i, failedRunId };
}
