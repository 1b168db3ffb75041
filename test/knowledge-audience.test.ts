import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { makeDocx, makePdf } from '../src/knowledge/testing/fixtures.js';

/**
 * Who may read which knowledge: the public website widget answers only from customer-facing
 * files, whatever their format; the owner (authenticated API) sees everything; nothing outside the
 * knowledge folder is indexed through a symbolic link.
 */

const ACME = { slug: 'acme', phone: '+14165550100' };
let h: Harness;
let token: string;
let kdir: string;
let outside: string;

const HOURS = '---\nkind: policy\ntitle: Opening hours\n---\n\n# Opening hours\n\nWe are open Monday to Friday from 8 am to 6 pm.\n';
const DOOR_CODES = '<html><head><title>Door codes</title></head><body><h1>Door codes</h1><p>The door code for the side entrance is 4821.</p></body></html>';
const ALARM = '<html><body><h1>Alarm</h1><p>The alarm code for the warehouse is 7734.</p></body></html>';

/** The questions, and the secret each answer must never show a visitor. */
const SECRETS = [
  { question: 'What is the door code for the side entrance?', secret: '4821', file: 'internal/door-codes.html' },
  { question: 'What is the alarm code for the warehouse?', secret: '7734', file: 'alarm.html' },
  { question: 'What is the staff wifi password in the van?', secret: 'maple-van-7781', file: 'wifi.pdf' },
  { question: 'What is the key safe code at the office?', secret: '5590', file: 'keys.docx' },
  { question: 'What does the supplier charge us for copper fittings?', secret: '3.15', file: 'supplier-costs.csv' },
];

async function widgetAsk(question: string) {
  const res = await fetch(`${h.aios.url}/widget/${ACME.slug}/ask`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://shop.example' }, body: JSON.stringify({ question }) });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  h = await startHarness([
    {
      ...ACME,
      policy: AUTO_POLICY,
      files: {
        'knowledge/hours.md': HOURS,
        'knowledge/internal/door-codes.html': DOOR_CODES,
        'knowledge/alarm.html': ALARM,
        'knowledge/alarm.html.meta.yaml': 'audience: internal\n',
      },
    },
  ]);
  token = h.aios.cliTokens.get(ACME.slug)!;
  kdir = join(h.home, 'tenants', ACME.slug, 'knowledge');
  // Binary formats cannot carry front matter: their audience comes from a sidecar.
  writeFileSync(join(kdir, 'wifi.pdf'), makePdf(['Staff wifi', 'The staff wifi password in the van is maple-van-7781.']));
  writeFileSync(join(kdir, 'wifi.pdf.meta.yaml'), 'audience: staff\n');
  writeFileSync(join(kdir, 'keys.docx'), makeDocx(['# Key safe', 'The key safe code at the office is 5590.']));
  writeFileSync(join(kdir, 'keys.docx.meta.yaml'), 'audience: internal\n');
  writeFileSync(join(kdir, 'supplier-costs.csv'), 'service,price,unit,notes\nCopper fittings,3.15,each,what the supplier charges us\n');
  writeFileSync(join(kdir, 'supplier-costs.csv.meta.yaml'), 'audience: internal\n');
  // A link pointing out of the knowledge folder.
  outside = mkdtempSync(join(tmpdir(), 'aios-outside-'));
  writeFileSync(join(outside, 'safe.html'), '<h1>Safe</h1><p>The safe combination in the basement is 1122.</p>');
  mkdirSync(join(outside, 'more'));
  writeFileSync(join(outside, 'more', 'vault.md'), '# Vault\n\nThe vault combination in the cellar is 6655.\n');
  symlinkSync(join(outside, 'safe.html'), join(kdir, 'safe.html'));
  symlinkSync(join(outside, 'more'), join(kdir, 'more'));
  const sync = await h.api(token, 'POST', '/api/v1/knowledge/sync');
  expect(sync.status).toBe(200);
});
afterAll(async () => {
  await h?.stop();
  if (outside) rmSync(outside, { recursive: true, force: true });
});

describe('knowledge audience: the public widget answers only from customer-facing files', () => {
  it('answers customer-facing knowledge (control)', async () => {
    const r = await widgetAsk('What are your opening hours?');
    expect(r.json.status).toBe('answered');
    expect(r.json.answer).toMatch(/Monday to Friday/);
  });

  it.each(SECRETS)('never answers a visitor from $file', async ({ question, secret }) => {
    const r = await widgetAsk(question);
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('unknown');
    expect(JSON.stringify(r.json)).not.toContain(secret);
  });

  it.each(SECRETS)('the owner (authenticated API) is answered from $file', async ({ question, secret, file }) => {
    const r = await h.api(token, 'POST', '/api/v1/knowledge/ask', { question });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('answered');
    expect(r.json.text).toContain(secret);
    expect(r.json.citations.map((c: any) => c.file)).toContain(file);
  });

  it('a symbolic link out of the folder is not followed (file or folder), and is reported', async () => {
    const sync = await h.api(token, 'POST', '/api/v1/knowledge/sync');
    const reasons = Object.fromEntries(sync.json.failures.map((f: any) => [f.file, f.reason]));
    expect(reasons['safe.html']).toMatch(/symbolic link/);
    expect(reasons['more']).toMatch(/symbolic link/);
    for (const question of ['What is the safe combination in the basement?', 'What is the vault combination in the cellar?']) {
      const owner = await h.api(token, 'POST', '/api/v1/knowledge/ask', { question });
      expect(owner.json.status).toBe('unknown');
      expect(JSON.stringify(owner.json)).not.toMatch(/1122|6655/);
    }
    const docs = await h.aios.db.selectFrom('knowledge_documents').select('path').execute();
    expect(docs.map((d) => d.path).filter((p) => /safe|vault/.test(p))).toEqual([]);
  });
});
