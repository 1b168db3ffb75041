import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startHarness, eventually, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { draftWeek } from '../src/autonomy/content/content-store.js';
import { checkImageUrl } from '../src/connection/publishing/image-url.js';
import { runCli } from './support/cli-in-process.js';
import { contentCommands } from '../src/cli/content-commands.js';
import '../src/autonomy/content/tables.js';

/**
 * Batch approval against the drafting, and Instagram's image rule, on a real AIOS (embedded
 * PostgreSQL, DBOS runs) with a real webhook receiver:
 * - approve-all run again and again, two at a time, while the week is being drafted: every
 *   approval gets exactly one decision, every post ends in one state, nothing shows "waiting for
 *   you" without an approval to decide;
 * - an Instagram post cannot be approved without an image (approve-all skips it and says how
 *   many), the owner attaches one (URL guard: https, public host) and it publishes with it;
 *   one approved through the generic approvals API without an image fails at its slot.
 */
const PHONE = '+14165550870';
const SECRET = 'instagram-secret-0123456789abcdef';
const POLICY = 'version: 1\ndefault: approve\nactions:\n  content.publish: approve\n';
const TENANT = `slug: birch
name: Birch Plumbing
time_zone: America/Toronto
currency: CAD
phone: "${PHONE}"
owner:
  name: Bo Birch
profile:
  booking_link: https://book.birch.example/
playbooks:
  content-engine:
    posts_per_week: 12
    platforms: [linkedin, instagram, x]
    publish:
      instagram: { webhook: ig-hook }
`;
const DEMO = join(import.meta.dirname, '../demo');
const clock = new ManualClock('2026-12-01T14:00:00Z');
let h: Harness;
let token: string;
let tenantId: string;
let receiver: Server;
const received: any[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: `https://social.example/ig/${received.length}` }));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  h = await startHarness([{ slug: 'birch', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT, 'knowledge/price-list.csv': readFileSync(join(DEMO, 'knowledge/price-list.csv'), 'utf8') } }], { clock, config: { AIOS_WAKE_EVERY_MS: '200' } });
  token = h.aios.cliTokens.get('birch')!;
  tenantId = h.aios.tenants.bySlugOrThrow('birch').id;
  const port = (receiver.address() as { port: number }).port;
  expect((await h.api(token, 'POST', '/api/v1/connections', { kind: 'publish-webhook', name: 'ig-hook', credentials: { url: `http://127.0.0.1:${port}/ig`, secret: SECRET } })).status).toBe(201);
  expect((await h.api(token, 'POST', '/api/v1/content/sources', { name: 'winter-ready-home.md', text: readFileSync(join(DEMO, 'content/winter-ready-home.md'), 'utf8') })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const WEEK = '2026-12-07';
const rows = () => h.aios.db.selectFrom('content_posts').selectAll().where('tenant_id', '=', tenantId).orderBy('slot_at').execute();

describe('content sources by URL', () => {
  it('refuses the metadata address and a body with two kinds of source, saying what to send', async () => {
    const meta = await h.api(token, 'POST', '/api/v1/content/sources', { url: 'http://169.254.169.254/latest/meta-data' });
    expect(meta).toMatchObject({ status: 400, json: { error: 'address_refused' } });
    const two = await h.api(token, 'POST', '/api/v1/content/sources', { url: 'https://example.com/', text: 'hello', name: 'a.md' });
    expect(two).toMatchObject({ status: 400, json: { message: expect.stringMatching(/one of them/), fix: expect.stringMatching(/"url"/) } });
    const noName = await h.api(token, 'POST', '/api/v1/content/sources', { text: 'hello' });
    expect(noName).toMatchObject({ status: 400, json: { fix: expect.stringMatching(/"name"/) } });
  });
});

describe('content approvals', { timeout: 120_000 }, () => {
  it('approve-all concurrently with the drafting: one decision per approval, one state per post, no "waiting" without an approval', async () => {
    const answers: any[] = [];
    const waitingWithoutApproval: string[] = [];
    let drafted = false;
    const approveLoop = async () => {
      while (true) {
        const [a, b, view] = await Promise.all([
          h.api(token, 'POST', `/api/v1/content/weeks/${WEEK}/approve`, {}),
          h.api(token, 'POST', `/api/v1/content/weeks/${WEEK}/approve`, {}),
          h.api(token, 'GET', `/api/v1/content/weeks/${WEEK}`),
        ]);
        for (const r of [a, b]) if (r.status === 200) answers.push(r.json);
        if (view.status === 200) {
          for (const p of view.json.posts) if (p.status === 'in_approval' && !p.approvalId) waitingWithoutApproval.push(p.id);
          const ps = view.json.posts as any[];
          const open = ps.filter((p) => p.platform !== 'instagram' && ['drafted', 'in_approval'].includes(p.status));
          if (drafted && ps.length && !open.length && ps.filter((p) => p.platform === 'instagram').every((p) => p.status === 'in_approval')) return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const [week] = await Promise.all([
      draftWeek(h.aios.db, h.aios.host, h.aios.tenants.get(tenantId), { monday: WEEK, requestedBy: 'owner', now: clock.now() }).then((w) => { drafted = true; return w; }),
      eventually(() => approveLoop().then(() => true), 60_000, 'every post decided or waiting for an image'),
    ]);
    expect(week.posts).toBe(12);
    expect(waitingWithoutApproval).toEqual([]);
    // Every answer accounts for each approval once; no call failed on an approval another one decided.
    for (const a of answers) {
      expect(a.results.filter((r: any) => !r.ok && r.status !== 'needs_image')).toEqual([]);
      expect(new Set(a.results.map((r: any) => r.id)).size).toBe(a.results.length);
    }
    const totalDecided = answers.reduce((n, a) => n + a.decided, 0);
    const final = await eventually(async () => {
      const r = await rows();
      return r.every((p) => (p.platform === 'instagram' ? p.status === 'in_approval' : p.status === 'scheduled')) && r;
    }, 30_000, 'non-Instagram posts scheduled');
    const approvals = await h.aios.db.selectFrom('approvals').select(['id', 'status', 'run_id']).where('tenant_id', '=', tenantId).execute();
    expect(approvals).toHaveLength(12);
    const decisions = await h.aios.db.selectFrom('audit_log').select(['subject']).where('tenant_id', '=', tenantId).where('action', 'in', ['approval.approved', 'approval.rejected']).execute();
    const perApproval = new Map<string, number>();
    for (const d of decisions) perApproval.set(d.subject!, (perApproval.get(d.subject!) ?? 0) + 1);
    const nonIg = final.filter((p) => p.platform !== 'instagram');
    expect(totalDecided).toBe(nonIg.length);
    for (const p of final) {
      const a = approvals.find((x) => x.run_id === p.run_id)!;
      expect(a.status).toBe(p.platform === 'instagram' ? 'pending' : 'approved');
      expect(perApproval.get(a.id) ?? 0).toBe(p.platform === 'instagram' ? 0 : 1);
    }
    // Again, after the fact: idempotent, and it says what it skipped.
    const again = await h.api(token, 'POST', `/api/v1/content/weeks/${WEEK}/approve`, {});
    const ig = final.filter((p) => p.platform === 'instagram').length;
    expect(again.json).toMatchObject({ decided: 0, alreadyApproved: nonIg.length, skippedNeedImage: ig, stillDrafting: 0 });
    expect(again.json.message).toBe(`approved 0 posts; ${nonIg.length} already approved; skipped ${ig} that need an image (attach one, then approve).`);
    const view = (await h.api(token, 'GET', `/api/v1/content/weeks/${WEEK}`)).json;
    for (const p of view.posts.filter((x: any) => x.platform === 'instagram')) expect(p.needsImage).toMatch(/^needs an image/);
  });

  it('an Instagram post needs an image: refused URLs, attached from the CLI, approved, published with it; the Buffer CSV carries it', async () => {
    const ig = (await rows()).filter((p) => p.platform === 'instagram');
    expect(ig.length).toBeGreaterThanOrEqual(2);
    const [first, second] = ig;
    const direct = await h.api(token, 'POST', `/api/v1/content/posts/${first!.id}/edit`, { text: first!.text });
    expect(direct).toMatchObject({ status: 400, json: { error: 'needs_image', fix: expect.stringMatching(/--image/) } });
    for (const bad of ['http://images.example.com/a.jpg', 'https://127.0.0.1/a.jpg', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/a.png', 'https://2130706433/a.jpg', 'https://localhost/a.jpg', 'https://nas.local/a.jpg', 'https://user:pw@images.example.com/a.jpg', 'javascript:alert(1)', 'https://10.0.0.8/a.jpg']) {
      const r = await h.api(token, 'POST', `/api/v1/content/posts/${first!.id}/image`, { url: bad });
      expect(r, bad).toMatchObject({ status: 400, json: { error: 'image_url_refused', fix: expect.stringMatching(/public https address/) } });
    }
    await expect(checkImageUrl('https://img.example.com/a.jpg', async () => ['192.168.1.9'])).rejects.toMatchObject({ code: 'image_url_refused' });
    expect(await checkImageUrl('https://img.example.com/a.jpg', async () => ['93.184.216.34'])).toBe('https://img.example.com/a.jpg');
    const target = { url: h.aios.url, token, slug: 'birch', home: h.home };
    const out = await runCli((p) => contentCommands(p, () => target), 'content', 'edit', first!.id, '--image', 'https://images.example.com/frost.jpg');
    expect(out).toContain(`attached https://images.example.com/frost.jpg to ${first!.id}`);
    const shown = await runCli((p) => contentCommands(p, () => target), 'content', 'week', '--week', WEEK);
    expect(shown).toMatch(/needs an image/);
    const batch = await h.api(token, 'POST', `/api/v1/content/weeks/${WEEK}/approve`, {});
    expect(batch.json).toMatchObject({ decided: 1, skippedNeedImage: ig.length - 1 });
    // The second is approved through the generic approvals API, without an image: it cannot publish.
    const ap = await h.aios.db.selectFrom('approvals').select('id').where('run_id', '=', second!.run_id!).executeTakeFirstOrThrow();
    expect((await h.api(token, 'POST', `/api/v1/approvals/${ap.id}/approve`, {})).status).toBe(200);
    await eventually(async () => (await rows()).filter((p) => p.id === first!.id || p.id === second!.id).every((p) => p.status === 'scheduled'), 30_000, 'both scheduled');
    const csv = await (await fetch(`${h.aios.url}/api/v1/content/weeks/${WEEK}/export?format=buffer&platform=instagram`, { headers: { authorization: `Bearer ${token}` } })).text();
    const csvRows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(csvRows.map((r) => r['Image URL'])).toEqual(['https://images.example.com/frost.jpg']);
    clock.set(new Date('2026-12-14T12:00:00Z'));
    const done = await eventually(async () => {
      const r = (await rows()).filter((p) => p.id === first!.id || p.id === second!.id);
      return r.every((p) => ['published', 'failed'].includes(p.status)) && r;
    }, 60_000, 'both past their slot');
    expect(done.find((p) => p.id === first!.id)).toMatchObject({ status: 'published', image_url: 'https://images.example.com/frost.jpg' });
    expect(done.find((p) => p.id === second!.id)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^Instagram post needs an image/) });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ postId: first!.id, platform: 'instagram', imageUrl: 'https://images.example.com/frost.jpg' });
  });
});
