import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAios, type Aios } from '../src/server/runtime.js';
import { loadConfig } from '../src/core/config.js';
import { ManualClock } from '../src/core/clock.js';
import { DEMO_SLUG } from '../src/server/demo/demo-files.js';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';
import { eventually } from './support/harness.js';

/**
 * Issue 8: the public widget of the demo business answered "Can you fix my hot tub heater?" with
 * water-heater leak instructions, "How much is the fall drain special?" with a furnace tune-up and
 * a drain price, and "What is your address?" with phone numbers. A wrong answer is worse than
 * "I'll ask the owner": each must now be refused (holding reply, no citations, a gap for the owner),
 * while the questions the knowledge does answer still get their answer.
 */
let tdb: TestDatabase;
let home: string;
let aios: Aios;
beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
  home = mkdtempSync(join(tmpdir(), 'aios-widget-asked-'));
  aios = await startAios({ config: loadConfig({ AIOS_HOME: home, AIOS_PORT: '0', AIOS_DATABASE_ADMIN_URL: tdb.url }), clock: new ManualClock('2026-12-01T15:00:00Z'), env: {} });
  const t = aios.tenants.bySlugOrThrow(DEMO_SLUG);
  await eventually(async () => (await aios.db.selectFrom('knowledge_documents').select('id').where('tenant_id', '=', t.id).execute()).length > 20, 20_000, 'demo knowledge indexed');
});
afterAll(async () => {
  await aios?.stop();
  await tdb?.close();
  rmSync(home, { recursive: true, force: true });
});

async function ask(question: string) {
  const res = await fetch(`${aios.url}/widget/${DEMO_SLUG}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://maple.example' }, body: JSON.stringify({ question }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; answer: string; citations: { title: string }[] };
}

describe('the demo widget answers only what was asked', () => {
  for (const q of ['Can you fix my hot tub heater?', 'How much is the fall drain special?', 'What is your address?']) {
    it(`refuses "${q}" and passes it to the owner`, async () => {
      const a = await ask(q);
      expect(a.status).toBe('unknown');
      expect(a.citations).toEqual([]);
      expect(a.answer).toMatch(/passed your question to the team/);
      const t = aios.tenants.bySlugOrThrow(DEMO_SLUG);
      const gaps = await aios.db.selectFrom('knowledge_gaps').select('question').where('tenant_id', '=', t.id).execute();
      expect(gaps.map((g) => g.question)).toContain(q);
    });
  }

  it('still answers the questions the knowledge answers, with the asked-for value', async () => {
    const heater = await ask('How much is a 40 gallon gas water heater installed?');
    expect(heater.status).toBe('answered');
    expect(heater.answer).toContain('$1,895');
    const phone = await ask('What is your phone number?');
    expect(phone.status).toBe('answered');
    expect(phone.answer).toContain('416-555-0140');
    const hours = await ask('What time do you close on weekdays?');
    expect(hours.status).toBe('answered');
    expect(hours.answer).toMatch(/6(:00)? pm/);
  });
});
