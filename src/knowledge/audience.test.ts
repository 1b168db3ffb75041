import { describe, it, expect, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, renameSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { answerQuestion } from './answer.js';
import { resolveAudience } from './audience.js';

const t = await createTestDatabase();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await t.close();
});

let n = 0;
let tid: string;
let dir: string;
beforeEach(async () => {
  n++;
  tid = await insertTenant(t.db, `aud${n}`, `+1416555${String(2000 + n)}`);
  dir = mkdtempSync(join(tmpdir(), 'aios-aud-'));
  dirs.push(dir);
});

const ALARM = '<h1>Alarm</h1><p>The alarm code for the warehouse is 7734.</p>';
const Q = 'What is the alarm code for the warehouse?';
/** What a website visitor gets (the widget's audience) and what the owner gets (no audience). */
const visitor = async () => (await answerQuestion(t.db, tid, Q, { audience: 'customers', recordGap: false })).status;
const owner = async () => (await answerQuestion(t.db, tid, Q, { recordGap: false })).status;
const audienceOf = async (path: string) =>
  (await t.db.selectFrom('knowledge_documents').select('audience').where('tenant_id', '=', tid).where('path', '=', path).executeTakeFirstOrThrow()).audience;

describe('knowledge audience by sidecar and folder', () => {
  it('a changed sidecar re-indexes the audience although the file itself did not change', async () => {
    writeFileSync(join(dir, 'alarm.html'), ALARM);
    writeFileSync(join(dir, 'alarm.html.meta.yaml'), 'audience: internal\n');
    const first = await syncKnowledge(t.db, tid, dir);
    expect(first.stats).toMatchObject({ added: 1, files: 1, failed: 0 });
    expect(first.failures).toEqual([]);
    expect(await visitor()).toBe('unknown');
    expect(await owner()).toBe('answered');

    writeFileSync(join(dir, 'alarm.html.meta.yaml'), 'audience: customers\n');
    expect((await syncKnowledge(t.db, tid, dir)).stats).toMatchObject({ changed: 1, unchanged: 0 });
    expect(await visitor()).toBe('answered');

    writeFileSync(join(dir, 'alarm.html.meta.yaml'), 'audience: Staff\n');
    await syncKnowledge(t.db, tid, dir);
    expect(await audienceOf('alarm.html')).toBe('staff');
    expect(await visitor()).toBe('unknown');

    rmSync(join(dir, 'alarm.html.meta.yaml'));
    expect((await syncKnowledge(t.db, tid, dir)).stats).toMatchObject({ changed: 1 });
    expect(await visitor()).toBe('answered');
  });

  it('an invalid or unreadable sidecar makes its file internal and is reported on every sync', async () => {
    writeFileSync(join(dir, 'alarm.html'), ALARM);
    writeFileSync(join(dir, 'alarm.html.meta.yaml'), 'audiance: customers\n');
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.failures).toEqual([{ file: 'alarm.html.meta.yaml', reason: expect.stringMatching(/audiance: unknown field.*alarm\.html is indexed as internal/) }]);
    expect(await audienceOf('alarm.html')).toBe('internal');
    expect(await visitor()).toBe('unknown');
    expect(await owner()).toBe('answered');
    const again = await syncKnowledge(t.db, tid, dir);
    expect(again.stats).toMatchObject({ unchanged: 1, parsed: 0 });
    expect(again.failures.map((f) => f.file)).toEqual(['alarm.html.meta.yaml']);

    writeFileSync(join(dir, 'alarm.html.meta.yaml'), 'audience: [customers\n');
    expect((await syncKnowledge(t.db, tid, dir)).failures[0]!.reason).toMatch(/invalid sidecar: YAML does not parse/);
    expect(await visitor()).toBe('unknown');

    if (process.getuid?.() !== 0) {
      writeFileSync(join(dir, 'alarm.html.meta.yaml'), 'audience: customers\n');
      chmodSync(join(dir, 'alarm.html.meta.yaml'), 0o000);
      expect((await syncKnowledge(t.db, tid, dir)).failures[0]!.reason).toMatch(/cannot read the sidecar/);
      expect(await visitor()).toBe('unknown');
      chmodSync(join(dir, 'alarm.html.meta.yaml'), 0o644);
    }

    writeFileSync(join(dir, 'alarm.html.meta.yaml'), 'audience: customers\n');
    const fixed = await syncKnowledge(t.db, tid, dir);
    expect(fixed.failures).toEqual([]);
    expect(await visitor()).toBe('answered');
  });

  it('moving a file into internal/ makes it internal; the sidecar wins over the folder', async () => {
    writeFileSync(join(dir, 'alarm.html'), ALARM);
    await syncKnowledge(t.db, tid, dir);
    expect(await visitor()).toBe('answered');
    mkdirSync(join(dir, 'Team', 'Internal'), { recursive: true });
    renameSync(join(dir, 'alarm.html'), join(dir, 'Team', 'Internal', 'alarm.html'));
    const moved = await syncKnowledge(t.db, tid, dir);
    expect(moved.stats).toMatchObject({ moved: 0, added: 1, deleted: 1 });
    expect(await audienceOf('Team/Internal/alarm.html')).toBe('internal');
    expect(await visitor()).toBe('unknown');
    expect(await owner()).toBe('answered');
    writeFileSync(join(dir, 'Team', 'Internal', 'alarm.html.meta.yaml'), 'audience: customers\n');
    await syncKnowledge(t.db, tid, dir);
    expect(await visitor()).toBe('answered');
  });

  it('front matter cannot make a file under internal/ public; sidecars are not documents; a sidecar without its file is reported', async () => {
    mkdirSync(join(dir, 'internal'));
    writeFileSync(join(dir, 'internal', 'alarm.md'), `---\ntitle: Alarm\naudience: customers\n---\n\n${'The alarm code for the warehouse is 7734.'}\n`);
    writeFileSync(join(dir, 'alarm-codes.html.meta.yaml'), 'audience: internal\n');
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.stats).toMatchObject({ files: 1, added: 1, failed: 0 });
    expect(r.failures).toEqual([{ file: 'alarm-codes.html.meta.yaml', reason: expect.stringMatching(/sidecar without its file: there is no alarm-codes\.html/) }]);
    expect(await audienceOf('internal/alarm.md')).toBe('internal');
    expect(await visitor()).toBe('unknown');
  });

  it('symbolic links are never followed, also inside the folder, and are reported as skipped', async () => {
    mkdirSync(join(dir, 'internal'));
    writeFileSync(join(dir, 'internal', 'alarm.html'), ALARM);
    // A link from a public path to an internal file would otherwise publish it.
    symlinkSync(join(dir, 'internal', 'alarm.html'), join(dir, 'alarm.html'));
    symlinkSync(join(dir, 'internal'), join(dir, 'public'));
    symlinkSync(dir, join(dir, 'internal', 'loop'));
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.stats).toMatchObject({ files: 1, added: 1, skipped: 3 });
    expect(r.failures.map((f) => f.file)).toEqual(['alarm.html', 'internal/loop', 'public']);
    expect(r.failures.every((f) => /symbolic link: not followed/.test(f.reason))).toBe(true);
    expect(await visitor()).toBe('unknown');
  });
});

describe('resolveAudience', () => {
  it('applies sidecar > internal folder > front matter > default', () => {
    expect(resolveAudience('a.html', null, null)).toBeNull();
    expect(resolveAudience('a.md', ' Customers ', null)).toBe('customers');
    expect(resolveAudience('internal/a.md', 'customers', null)).toBe('internal');
    expect(resolveAudience('x/INTERNAL/a.md', 'staff', null)).toBe('staff');
    expect(resolveAudience('internal.html', null, null)).toBeNull();
    expect(resolveAudience('internal/a.md', null, 'customers')).toBe('customers');
    expect(resolveAudience('a.md', 'customers', 'broken')).toBe('internal');
  });
});
