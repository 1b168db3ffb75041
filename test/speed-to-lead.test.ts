import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createTestDatabase, insertTenant, type TestDatabase } from './support/test-db.js';
import { appendMessage } from '../src/records/conversations.js';
import { recordLedgerEntry } from '../src/records/ledger-entries.js';
import { speedToLead, formatDuration } from '../src/leverage/speed-to-lead.js';
import { statusLines } from '../src/cli/status-command.js';

let t: TestDatabase;
let tenantId: string;
const at = (iso: string) => new Date(iso);
const H = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  tenantId = await insertTenant(t.db, 'speedy', '+14165550100');
  // The business's own history (imported / owner-sent replies, no run): 1 h, 3 h and 10 h to answer.
  const own: Array<[string, string, number]> = [['+14165550001', '2026-01-05T14:00:00Z', 1], ['+14165550002', '2026-01-06T14:00:00Z', 3], ['+14165550003', '2026-01-07T14:00:00Z', 10]];
  for (const [address, asked, hours] of own) {
    await appendMessage(t.db, { tenantId, channel: 'sms', address, direction: 'inbound', body: 'Can you quote a new furnace?', at: at(asked) });
    await appendMessage(t.db, { tenantId, channel: 'sms', address, direction: 'outbound', body: 'Sure, call me', at: new Date(at(asked).getTime() + hours * H) });
    // A later exchange in the same conversation is not the first reply.
    await appendMessage(t.db, { tenantId, channel: 'sms', address, direction: 'inbound', body: 'Thanks', at: new Date(at(asked).getTime() + 30 * H) });
    await appendMessage(t.db, { tenantId, channel: 'sms', address, direction: 'outbound', body: 'Welcome', at: new Date(at(asked).getTime() + 31 * H) });
  }
  // A conversation AIOS answered first counts for AIOS (through the ledger), not as the business's own.
  await appendMessage(t.db, { tenantId, channel: 'sms', address: '+14165550004', direction: 'inbound', body: 'Hello?', at: at('2026-02-01T14:00:00Z') });
  await appendMessage(t.db, { tenantId, channel: 'sms', address: '+14165550004', direction: 'outbound', body: 'Hi!', runId: 'lead-response@1:sig_x', at: at('2026-02-01T14:00:05Z') });
  await appendMessage(t.db, { tenantId, channel: 'sms', address: '+14165550004', direction: 'outbound', body: 'Owner here', at: at('2026-02-01T15:00:00Z') });
  // A message nobody answered yet is not measured.
  await appendMessage(t.db, { tenantId, channel: 'sms', address: '+14165550005', direction: 'inbound', body: 'Anyone?', at: at('2026-02-02T14:00:00Z') });
  // AIOS's first replies: 4 s, 6 s, 20 s; other categories do not count.
  for (const [run, ms, category] of [['r1', 4_000, 'lead_response'], ['r2', 6_000, 'missed_call_text_back'], ['r3', 20_000, 'lead_response'], ['r4', 900_000, 'review_request']] as const) {
    await recordLedgerEntry(t.db, { tenantId, runId: run, category, responseMs: ms });
  }
});
afterAll(() => t?.close());

describe('speed-to-lead: the business before AIOS, and AIOS', () => {
  it('medians the first reply per conversation from history (own replies only) and AIOS first replies from the ledger', async () => {
    const s = await speedToLead(t.db, tenantId);
    expect(s.before).toEqual({ count: 3, p50Ms: 3 * H });
    expect(s.after).toEqual({ count: 3, p50Ms: 6_000 });
  });

  it('a business without history shows nothing measured', async () => {
    const other = await insertTenant(t.db, 'fresh', '+14165550200');
    expect(await speedToLead(t.db, other)).toEqual({ before: { count: 0, p50Ms: null }, after: { count: 0, p50Ms: null } });
  });

  it('aios status says it in words', () => {
    expect(formatDuration(6_000)).toBe('6.0 s');
    expect(formatDuration(3 * H)).toBe('3.0 h');
    const lines = statusLines({ tenant: { name: 'S', slug: 's', timeZone: 'UTC' }, ledger: { entries: 0, minutesSaved: 0, valueCents: 0, aiCostMicros: 0, medianResponseMs: null }, speedToLead: { before: { count: 3, p50Ms: 3 * H }, after: { count: 3, p50Ms: 6_000 } } });
    expect(lines.join('\n')).toContain('median first reply to a lead 3.0 h (3 leads) before AIOS, 6.0 s (3 leads) with AIOS');
  });
});
