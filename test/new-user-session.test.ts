import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { startChild, type ChildAios } from './support/child-aios.js';

/**
 * A newcomer's first session, scripted: a fresh AIOS_HOME, `aios start` as a child process (the
 * demo business), then every command the banner and the README suggest, pasted into a shell as
 * they are printed (only `npx aios` becomes `node bin/aios.mjs`, and the README's `ID`
 * placeholders become real ids). Every command must succeed — or fail with one plain line and a
 * fix — and no output may hold a stack trace or an empty fix.
 */
const ROOT = resolve(import.meta.dirname, '..');
const home = mkdtempSync(join(tmpdir(), 'aios-newcomer-'));
const cwd = mkdtempSync(join(tmpdir(), 'aios-newcomer-cwd-'));
copyFileSync(join(ROOT, 'test/fixtures/csv/hubspot-contacts.csv'), join(cwd, 'hubspot.csv'));
const homes = [home, cwd];
let child: ChildAios;
let feed: Server;
let feedUrl = '';

const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:e1@test', 'DTSTAMP:20261101T000000Z', 'DTSTART:20261203T150000Z', 'DTEND:20261203T160000Z', 'SUMMARY:Boiler service', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

beforeAll(async () => {
  feed = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(ICS));
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  feedUrl = `http://127.0.0.1:${(feed.address() as { port: number }).port}/cal.ics`;
  child = await startChild(home, { AIOS_ALLOW_LOOPBACK: '1', AIOS_LOG_LEVEL: 'warn' }, 90_000);
  // /health answers before the demo is seeded and the banner printed.
  for (let i = 0; i < 300 && !child.output().includes('\nTry'); i++) await new Promise((r) => setTimeout(r, 100));
}, 100_000);

afterAll(async () => {
  if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
  await new Promise((r) => feed?.close(r));
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

interface Ran {
  line: string;
  code: number | null;
  out: string;
}

/** Runs a line as a user pastes it into a shell. */
function paste(line: string, stdin = ''): Promise<Ran> {
  const cmd = line.replaceAll('npx aios', `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/aios.mjs'))}`);
  return new Promise((done) => {
    const p = spawn('sh', ['-c', cmd], { cwd, env: { ...process.env, AIOS_HOME: home, AIOS_TENANT: '', AIOS_TOKEN: '', AIOS_URL: '' } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.stdin.end(stdin);
    p.on('exit', (code) => done({ line, code, out }));
  });
}

const STACK = /^\s+at .*(\(.*:\d+:\d+\)|:\d+:\d+)$/m;
/** What no output may contain: a stack trace, an empty fix, raw JSON counts, DBOS's internal names. */
function expectPlain(r: Ran): void {
  expect({ line: r.line, stack: STACK.test(r.out) }).toEqual({ line: r.line, stack: false });
  expect({ line: r.line, out: r.out }).not.toMatchObject({ out: expect.stringMatching(/"fix":\s*""|→\s*$|^\s*fix:\s*$/m) });
  expect({ line: r.line, out: r.out }).not.toMatchObject({ out: expect.stringMatching(/DBOS\.(sleep|recv)|Unexpected error/) });
}

/** The suggested commands after "Try" in the banner, without the approval link line. */
function bannerCommands(out: string): string[] {
  const after = out.slice(out.indexOf('\nTry'));
  return after.split('\n').slice(1).map((l) => l.trim()).filter((l) => l.startsWith('npx aios') || l.startsWith('curl'));
}

/** The command block of README.md under "Then, in another terminal". */
function readmeCommands(): string[] {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = md.slice(md.indexOf('```sh', md.indexOf('Then, in another terminal')) + 5);
  return block.slice(0, block.indexOf('```')).split('\n').map((l) => l.trim()).filter((l) => l.startsWith('npx aios'));
}

async function api(path: string): Promise<any> {
  return (await fetch(`${child.url}${path}`, { headers: { authorization: `Bearer ${child.token('maple-plumbing')}` } })).json();
}
async function pendingApprovals(n: number): Promise<string[]> {
  const end = Date.now() + 10_000;
  for (;;) {
    const ids = (await api('/api/v1/approvals')).approvals.map((a: { id: string }) => a.id) as string[];
    if (ids.length >= n || Date.now() > end) return ids;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Answers for the interactive `connect imap`: a server that is not there, defaults elsewhere. */
const IMAP_ANSWERS = '127.0.0.1\n1\nno\nsam\nsecret\n\n\n\n\n';

describe('a newcomer pastes every suggested command', () => {
  it('the banner: each line is a command that works as pasted', async () => {
    const lines = bannerCommands(child.output());
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) {
      const r = await paste(line, line.includes('connect imap') ? IMAP_ANSWERS : '');
      expectPlain(r);
      if (line.includes('connect imap')) {
        // The check fails (nothing listens there): exit 1, the real reason, and nothing saved.
        expect(r).toMatchObject({ code: 1, out: expect.stringMatching(/nothing was saved/) });
        expect(r.out).not.toMatch(/retried|Saved/);
      } else {
        expect({ line, code: r.code, out: r.out }).toMatchObject({ code: 0 });
      }
      if (line === 'npx aios status') {
        expect(r.out).not.toMatch(/\{"/);
        expect(r.out).toMatch(/approvals: .*(waiting for your decision|nothing waits)/);
      }
    }
    expect((await api('/api/v1/connections')).connections).toHaveLength(0);
  }, 120_000);

  it('the README: each command works once its ID placeholder is filled in', async () => {
    await paste('npx aios simulate missed-call --from +14165550166');
    const pending = await pendingApprovals(2);
    expect(pending.length).toBeGreaterThanOrEqual(2);
    for (const raw of readmeCommands()) {
      if (raw.startsWith('npx aios mcp')) continue; // stdio: covered by test/mcp-server.test.ts
      let line = raw.replace('https://example.com/calendar.ics', feedUrl);
      if (/approvals (approve|reject) ID/.test(line)) line = line.replace('ID', pending.shift()!);
      if (line.includes('runs ID')) line = line.replace('ID', (await api('/api/v1/runs')).runs[0].id);
      if (line.includes('token revoke ID')) line = line.replace('ID', (await api('/api/v1/tokens')).tokens.find((t: { name: string }) => t.name === 'zapier').id);
      expect(line.replace(/\s+#.*$/, '')).not.toMatch(/\bID\b|<|…/);
      const r = await paste(line, line.includes('connect imap') ? IMAP_ANSWERS : '');
      expectPlain(r);
      expect({ line, code: r.code, out: r.out }).toMatchObject({ code: line.includes('connect imap') ? 1 : 0 });
    }
    expect((await api('/api/v1/connections')).connections.map((c: { kind: string }) => c.kind)).toEqual(['ics']);
  }, 150_000); // one CLI process per README command (about 35 of them, ~1.5 s each)
});

describe('what the newcomer reads', () => {
  it('approvals show the whole text, and decided ones say by whom, when and what was sent', async () => {
    const all = (await api('/api/v1/approvals?status=all')).approvals as Array<{ status: string; proposal: { body: string }; edits: { body?: string } | null }>;
    const r = await paste('npx aios approvals --status all');
    expectPlain(r);
    const flat = r.out.replace(/\s+/g, ' ');
    for (const a of all) expect(flat).toContain((a.edits?.body ?? a.proposal.body).replace(/\s+/g, ' '));
    expect(flat).toMatch(/decided: approved by \S+ at /);

    // The demo's approval was approved from the command line: its link now says what was sent.
    const link = /approval link texted to the owner[^:]*: (\S+)/.exec(child.output())![1]!;
    const page = await (await fetch(link)).text();
    expect(page).toMatch(/already <b>approved<\/b> by .+ at \d{1,2}:\d\d [ap]\.m\. on \w{3} \d{1,2} \w{3} \d{4}/);
    expect(page).toMatch(/Sent(, with edits,)? to <b>\+1\d{10}<\/b>:<\/p><blockquote>.{10,}<\/blockquote>/);
  });

  it('runs <id> says what each run waits for in words, never DBOS.recv / DBOS.sleep <epoch>', async () => {
    const runs = (await api('/api/v1/runs')).runs as Array<{ id: string; status: string }>;
    expect(runs.some((r) => r.status === 'waiting')).toBe(true);
    for (const run of runs) {
      const r = await paste(`npx aios runs ${run.id}`);
      expectPlain(r);
      // No epoch milliseconds ("DBOS.sleep 1796759166202"); hex ids may hold long digit runs, so only standalone numbers count.
      expect(r.out).not.toMatch(/\b1[6-9]\d{11}\b/);
      if (run.status === 'waiting') expect(r.out.split('\n')[0]).toMatch(/waiting: waiting for (approval|reply from \+1\d{10}|quiet hours|payment of invoice INV-\d+ \([^)]+\))( to end)? (until|at) \d{1,2}:\d\d [ap]\.m\./);
    }
  });

  it('connect takes credentials as flags, or as piped answers line by line; says "saved" only when it was', async () => {
    const flags = await paste(`npx aios connect ics --name flagged --url ${feedUrl} --time-zone America/Toronto`);
    expect(flags).toMatchObject({ code: 0, out: expect.stringMatching(/Saved and connected: flagged/) });
    const piped = await paste('npx aios connect ics --name piped', `${feedUrl}\n\n\nAmerica/Toronto\n`);
    expectPlain(piped);
    expect(piped.out).toMatch(/url: \nusername \(optional\): \npassword \(optional\): \ntimeZone \[UTC\]: \n/);
    expect(piped).toMatchObject({ code: 0, out: expect.stringMatching(/Saved and connected: piped/) });
    const short = await paste('npx aios connect imap', '127.0.0.1\n');
    expectPlain(short);
    expect(short.out).toMatch(/port \[993\]: /);
    expect(short).toMatchObject({ code: 1, out: expect.stringMatching(/input ended before "user".*nothing was saved/) });
    const plainSecret = await paste('npx aios connect imap --host 127.0.0.1 --user sam --password hunter2');
    expect(plainSecret).toMatchObject({ code: 1, out: expect.stringMatching(/--password-env VAR or --password-stdin/) });
    const names = (await api('/api/v1/connections')).connections.map((c: { name: string }) => c.name).sort();
    expect(names).toEqual(['flagged', 'ics', 'piped']);
  });

  it('a clean SIGTERM stops quietly: no pool error, no stack trace', async () => {
    const before = child.output().length;
    child.proc.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    const tail = child.output().slice(before);
    expect(tail).not.toMatch(/Unexpected error in pool|terminating connection/);
    expect(tail).not.toMatch(STACK);
  }, 90_000);
});
