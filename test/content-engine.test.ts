import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, eventually, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { verifySignature } from '../src/connection/publishing/signed-webhook.js';
import { addSource, draftWeek } from '../src/autonomy/content/content-store.js';
import { PLATFORM_RULES } from '../src/autonomy/content/platform-rules.js';
import { checkPost } from '../src/autonomy/content/post-check.js';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse } from 'csv-parse/sync';
import { runCli } from './support/cli-in-process.js';
import { contentCommands } from '../src/cli/content-commands.js';
import '../src/autonomy/content/tables.js';

/**
 * The content engine end to end: real AIOS on embedded PostgreSQL, a real HTTP receiver that
 * checks the webhook signature, the approvals API, and a ManualClock moved past the week's slots
 * (runs wake every 200 ms and re-read it).
 */
const DEMO = join(import.meta.dirname, '../demo');
const PHONE = '+14165550800';
const SECRET_LI = 'linkedin-secret-0123456789abcdef';
const SECRET_X = 'x-secret-0123456789abcdef-xyz';
const POLICY = `version: 1
default: approve
actions:
  content.publish: approve
`;
const TENANT = `slug: maple
name: Maple Plumbing & Heating
time_zone: America/Toronto
locale: en-CA
currency: CAD
phone: "${PHONE}"
owner:
  name: Dana Maple
profile:
  booking_link: https://book.mapleplumbing.example/
playbooks:
  content-engine:
    posts_per_week: 6
    platforms: [linkedin, x, google_business]
    hashtags: [TorontoPlumber]
    publish:
      linkedin: { webhook: li-hook }
      x: { webhook: x-hook }
`;
const clock = new ManualClock('2026-12-01T14:00:00Z');
let h: Harness;
let token: string;
let tenantId: string;
let receiver: Server;
const received: { path: string; ok: boolean; body: any; delivery: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const secret = req.url === '/li' ? SECRET_LI : SECRET_X;
      const ok = verifySignature(secret, { timestamp: String(req.headers['x-aios-timestamp'] ?? ''), signature: String(req.headers['x-aios-signature'] ?? '') }, raw, Math.floor(clock.now().getTime() / 1000));
      received.push({ path: req.url ?? '', ok, body: JSON.parse(raw), delivery: String(req.headers['x-aios-delivery']) });
      if (!ok) { res.writeHead(401).end(); return; }
      if (req.url === '/x') { res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"account suspended"}'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: `https://social.example/p/${received.length}`, id: `p${received.length}` }));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const port = (receiver.address() as { port: number }).port;
  const k = (f: string) => readFileSync(join(DEMO, 'knowledge', f), 'utf8');
  h = await startHarness([{ slug: 'maple', phone: PHONE, policy: POLICY, files: {
    'tenant.yaml': TENANT, 'knowledge/voice.md': k('voice.md'), 'knowledge/price-list.csv': k('price-list.csv'), 'knowledge/offers/winter-furnace-tune-up.md': k('offers/winter-furnace-tune-up.md'),
  } }], { clock, config: { AIOS_WAKE_EVERY_MS: '200' } });
  token = h.aios.cliTokens.get('maple')!;
  tenantId = h.aios.tenants.bySlugOrThrow('maple').id;
  for (const [name, path, secret] of [['li-hook', '/li', SECRET_LI], ['x-hook', '/x', SECRET_X]] as const) {
    const r = await h.api(token, 'POST', '/api/v1/connections', { kind: 'publish-webhook', name, credentials: { url: `http://127.0.0.1:${port}${path}`, secret } });
    expect(r.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const posts = (weekId: string) => h.aios.db.selectFrom('content_posts').selectAll().where('week_id', '=', weekId).orderBy('slot_at').execute();
const approvalOf = (runId: string) => eventually(async () => (await h.aios.db.selectFrom('approvals').select(['id', 'status']).where('run_id', '=', runId).executeTakeFirst())?.id, 30_000, `approval of ${runId}`);

describe('content engine: batch approval → publish at the slot → result recorded', { timeout: 120_000 }, () => {
  let weekId = '';
  it('drafts a week from a source; every post within its platform rules; nothing unsupported', async () => {
    const tenant = h.aios.tenants.get(tenantId);
    const nothing = await h.api(token, 'POST', '/api/v1/content/sources', { name: 'notes.txt', text: 'ok\n\nsee you tuesday' });
    expect(nothing).toMatchObject({ status: 400, json: { error: 'content_nothing_postable', fix: expect.stringMatching(/own words/) } });
    const text = readFileSync(join(DEMO, 'content/winter-ready-home.md'), 'utf8');
    const added = await h.api(token, 'POST', '/api/v1/content/sources', { name: 'winter-ready-home.md', text });
    expect(added).toMatchObject({ status: 201, json: { duplicate: false, ideas: expect.any(Number) } });
    expect((await addSource(h.aios.db, tenant, 'again.md', Buffer.from(text), 'cli')).duplicate).toBe(true);
    const drafted = await h.api(token, 'POST', '/api/v1/content/weeks', {});
    expect(drafted.status).toBe(201);
    const week = drafted.json;
    weekId = week.id;
    expect(week).toMatchObject({ monday: '2026-12-07', timeZone: 'America/Toronto', unfilled: 0 });
    expect(week.posts).toHaveLength(6);
    const rows = await posts(weekId);
    expect(rows.map((r) => r.platform).sort()).toEqual(['google_business', 'google_business', 'linkedin', 'linkedin', 'x', 'x']);
    for (const r of rows) {
      expect(checkPost({ text: r.text, cta: r.cta, imageNote: r.image_note, imageRequired: r.image_required }, PLATFORM_RULES[r.platform], ['asap', 'no worries'])).toEqual([]);
      expect(r.text).not.toMatch(/\$99|5 years/);
    }
    await expect(draftWeek(h.aios.db, h.aios.host, tenant, { monday: '2026-12-09', requestedBy: 'cli', now: clock.now() })).rejects.toThrow(/already drafted/);
  });

  it('the owner approves the week in one batch, edits one and rejects one with a reason; posts publish at their slot', async () => {
    const rows = await posts(weekId);
    const ids = await Promise.all(rows.map((r) => approvalOf(r.run_id!)));
    const li = rows.findIndex((r) => r.platform === 'linkedin');
    const gbp = rows.findIndex((r) => r.platform === 'google_business');
    expect(ids).toHaveLength(6);
    await eventually(async () => (await posts(weekId)).every((p) => p.status === 'in_approval'), 30_000, 'all in approval');
    const edited = `${rows[li]!.text.split('\n\n')[0]}\n\nShut the outdoor valve before the frost.`;
    const tooLong = await h.api(token, 'POST', `/api/v1/content/posts/${rows[gbp]!.id}/edit`, { text: `${'x'.repeat(1500)} call 416-555-0111` });
    expect(tooLong).toMatchObject({ status: 400, json: { message: expect.stringMatching(/Google Business Profile's rules: 1518 characters.*phone number/) } });
    expect((await h.api(token, 'POST', `/api/v1/content/posts/${rows[li]!.id}/edit`, { text: edited })).status).toBe(200);
    expect((await h.api(token, 'POST', `/api/v1/content/posts/${rows[gbp]!.id}/reject`, { reason: 'too long, and never say "hair dryer"' })).status).toBe(200);
    const batch = await h.api(token, 'POST', '/api/v1/content/weeks/2026-12-07/approve', {});
    expect(batch.json.decided).toBe(4);
    expect((await h.api(token, 'POST', `/api/v1/content/posts/${rows[gbp]!.id}/reject`, { reason: 'again' })).status).toBe(409);
    // Nothing is published before its slot.
    await eventually(async () => (await posts(weekId)).filter((p) => p.status === 'scheduled').length === 5, 30_000, 'five scheduled');
    expect(received).toEqual([]);
    clock.set(new Date('2026-12-14T12:00:00Z'));
    const done = await eventually(async () => {
      const r = await posts(weekId);
      return r.every((p) => ['published', 'failed', 'rejected'].includes(p.status) || (p.platform === 'google_business' && p.status === 'scheduled')) && r;
    }, 60_000, 'all posts past their slot');
    const published = done.filter((p) => p.status === 'published');
    expect(published.map((p) => p.platform)).toEqual(['linkedin', 'linkedin']);
    for (const p of published) expect(p.published_url).toMatch(/^https:\/\/social\.example\/p\/\d+$/);
    expect(done.find((p) => p.id === rows[li]!.id)).toMatchObject({ text: edited, edited: true, status: 'published' });
    const x = done.filter((p) => p.platform === 'x');
    expect(x.every((p) => p.status === 'failed' && /refused the post \(HTTP 422\).*account suspended/.test(p.failure ?? ''))).toBe(true);
    expect(done.find((p) => p.id === rows[gbp]!.id)).toMatchObject({ status: 'rejected', reject_reason: 'too long, and never say "hair dryer"' });
    expect(received.every((r) => r.ok)).toBe(true);
    expect(received.filter((r) => r.path === '/li').map((r) => r.body.text).sort()).toEqual(published.map((p) => p.text).sort());
    const summary = await eventually(async () => (await h.aios.db.selectFrom('runs').select(['summary', 'status']).where('id', '=', rows[li]!.run_id!).executeTakeFirstOrThrow()).summary, 30_000, 'run summary');
    expect(summary).toMatch(/^published on LinkedIn: https:\/\/social\.example\/p\/\d+$/);
    const ledger = await h.aios.db.selectFrom('ledger').select(['minutes_saved']).where('tenant_id', '=', tenantId).where('category', '=', 'content_post').execute();
    expect(ledger.map((l) => Number(l.minutes_saved))).toEqual([45, 45]);
    const view = (await h.api(token, 'GET', '/api/v1/content/weeks/2026-12-07')).json;
    expect(view.ledger).toMatchObject({ postsPlanned: 6, published: 2, edited: 1, rejected: 1, minutesSavedGross: 90 });
    expect(view.ledger.approvalMinutes).toBeGreaterThanOrEqual(2.5);
    // Exports: the ICS has the week's live posts; the Buffer CSV has Google's scheduled post.
    const ics = await fetch(`${h.aios.url}/api/v1/content/weeks/2026-12-07/export?format=ics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
    expect(((await ics.text()).match(/BEGIN:VEVENT/g) ?? []).length).toBe(3);
    const csv = await (await fetch(`${h.aios.url}/api/v1/content/weeks/2026-12-07/export?format=buffer&platform=google_business`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(csv.split('\r\n')[0]).toBe('Text,Image URL,Tags,Posting Time');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('the next week learns from the rejection: the phrase is banned and the idea is not planned again', async () => {
    const rejected = (await posts(weekId)).find((p) => p.status === 'rejected')!;
    const week = await draftWeek(h.aios.db, h.aios.host, h.aios.tenants.get(tenantId), { monday: '2026-12-14', requestedBy: 'cli', now: clock.now() });
    const next = await posts(week.weekId);
    expect(next.length).toBeGreaterThan(0);
    expect(next.some((p) => p.idea_id === rejected.idea_id)).toBe(false);
    expect(next.some((p) => /hair dryer/i.test(p.text))).toBe(false);
  });

  it('the CLI shows the week and exports a Buffer CSV per platform and an ICS that parse back', async () => {
    const target = { url: h.aios.url, token, slug: 'maple', home: h.home };
    const cli = (...args: string[]) => runCli((p) => contentCommands(p, () => target), ...args);
    const shown = await cli('content', 'week', '--week', '2026-12-07');
    expect(shown).toMatch(/week of 2026-12-07 \(America\/Toronto\): 6 posts/);
    expect(shown).toMatch(/ledger: 2\/6 published, 1 edited, 1 rejected; approving took [\d.]+ min; saved 90 min/);
    const dir = mkdtempSync(join(tmpdir(), 'aios-content-'));
    const out = await cli('content', 'export', '--week', '2026-12-14', '--buffer', join(dir, 'week.csv'), '--ics', join(dir, 'week.ics'));
    expect(out).toContain('week.linkedin.csv');
    const rows = parse(readFileSync(join(dir, 'week.linkedin.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['Text', 'Image URL', 'Tags', 'Posting Time']);
      expect(r['Posting Time']).toMatch(/^2026-12-1[4-9] \d\d:\d\d$/);
      expect(checkPost({ text: r.Text!, cta: { type: 'learn_more', url: null }, imageNote: null, imageRequired: false }, PLATFORM_RULES.linkedin, [])).toEqual([]);
    }
    expect(existsSync(join(dir, 'week.instagram.csv'))).toBe(false);
    expect(readFileSync(join(dir, 'week.ics'), 'utf8')).toMatch(/BEGIN:VCALENDAR[\s\S]*BEGIN:VEVENT/);
  });
});
