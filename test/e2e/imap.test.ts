import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorContext, PollResult } from '../../src/connection/framework/connector.js';
import { ConnectorError } from '../../src/connection/framework/connector-error.js';
import { createImapConnector, imapCredentialsSchema, watchMailbox, type ImapCredentials, type ImapCursor } from '../../src/connection/mail/imap-connector.js';
import { parseMail } from '../../src/connection/mail/parse-mail.js';
import { createSmtpSender, messageIdForKey } from '../../src/connection/mail/smtp-sender.js';
import { DOVECOT_CONF, DOVECOT_USER, SERVICES, reachable, requireServices } from './services.js';

const RUN = Date.now().toString(36);
const connector = createImapConnector({ batchSize: 8 });
const trigger = connector.polling![0]!;

const creds = (mailbox: string, extra: Partial<ImapCredentials> = {}): ImapCredentials => imapCredentialsSchema.parse({ ...DOVECOT_USER, mailbox, ...extra });
const ctx = (c: ImapCredentials): ConnectorContext<ImapCredentials> => ({ tenantId: 't1', connectionId: 'c1', credentials: c, now: () => new Date() });

function rawMessage(i: number, opts: { messageId?: string | null; subject?: string } = {}): string {
  const mid = opts.messageId === undefined ? `<m${i}.${RUN}@customer.example>` : opts.messageId;
  return [
    `From: "Customer ${i}" <customer${i}@customer.example>`,
    'To: shop@shop.example',
    `Subject: ${opts.subject ?? `Question ${i}`}`,
    `Date: ${new Date().toUTCString()}`,
    ...(mid ? [`Message-ID: ${mid}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, this is message ${i}.`,
    '',
  ].join('\r\n');
}

async function admin<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({ host: DOVECOT_USER.host, port: DOVECOT_USER.port, secure: false, auth: { user: 'test', pass: 'secret' }, logger: false, disableAutoIdle: true });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout();
  }
}

async function createWith(mailbox: string, from: number, count: number, opts: { messageId?: null } = {}): Promise<void> {
  await admin(async (c) => {
    await c.mailboxCreate(mailbox).catch(() => undefined);
    for (let i = from; i < from + count; i++) await c.append(mailbox, rawMessage(i, opts), []);
  });
}

/** Polls until `more` is false; returns all results. */
async function drain(c: ImapCredentials, cursor: ImapCursor): Promise<{ results: PollResult<ImapCursor>[]; cursor: ImapCursor }> {
  const results: PollResult<ImapCursor>[] = [];
  for (let n = 0; n < 100; n++) {
    const r = await trigger.poll(ctx(c), cursor);
    results.push(r);
    cursor = r.nextCursor;
    if (!r.more) break;
  }
  return { results, cursor };
}

async function deliverLmtp(raw: string): Promise<void> {
  const t = nodemailer.createTransport({ host: SERVICES.dovecotLmtp.host, port: SERVICES.dovecotLmtp.port, lmtp: true, secure: false, ignoreTLS: true });
  await t.sendMail({ envelope: { from: 'customer@customer.example', to: ['test@shop.example'] }, raw });
  t.close();
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

beforeAll(async () => {
  await requireServices(['dovecot']);
});

describe('imap connector against Dovecot', () => {
  it('validates credentials and maps a wrong password to an auth error', async () => {
    await connector.validate(ctx(creds('INBOX')));
    const err = await connector.validate(ctx(creds('INBOX', { password: 'wrong' }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).kind).toBe('auth');
    expect((err as ConnectorError).retryable).toBe(false);
  });

  it('maps a refused port to a retryable network error', async () => {
    const err = await connector.validate(ctx(creds('INBOX', { port: 1 }))).catch((e: unknown) => e);
    expect((err as ConnectorError).kind).toBe('network');
    expect((err as ConnectorError).retryable).toBe(true);
  });

  it('maps a TLS failure (TLS spoken to a plain port) to a network error with a plain message', async () => {
    const err = await connector.validate(ctx(creds('INBOX', { secure: true }))).catch((e: unknown) => e);
    expect((err as ConnectorError).kind).toBe('network');
    expect((err as ConnectorError).message).toMatch(/TLS|secure connection|cannot reach/);
  });

  it('backfills in batches with progress, then finds a new message exactly once', async () => {
    const box = `e2e-${RUN}-backfill`;
    await createWith(box, 0, 20);
    const c = creds(box);
    const { results, cursor } = await drain(c, trigger.initialCursor());
    const items = results.flatMap((r) => r.items);
    expect(items).toHaveLength(20);
    expect(new Set(items.map((i) => i.externalId)).size).toBe(20);
    expect(results.length).toBeGreaterThanOrEqual(3); // batches of 8
    expect(results[0]!.progress).toEqual({ done: 8, total: 20 });
    expect(results.at(-1)!.progress).toEqual({ done: 20, total: 20 });
    expect(cursor.backfillDone).toBe(true);
    expect(items[0]!.type).toBe('email.received');
    expect(items[0]!.payload).toMatchObject({ subject: 'Question 0', from: [{ address: 'customer0@customer.example', name: 'Customer 0' }], threadId: `<m0.${RUN}@customer.example>` });

    const idle = await trigger.poll(ctx(c), cursor);
    expect(idle.items).toHaveLength(0);
    await createWith(box, 100, 1);
    const r1 = await trigger.poll(ctx(c), idle.nextCursor);
    expect(r1.items.map((i) => i.externalId)).toEqual([`mid:<m100.${RUN}@customer.example>`]);
    const r2 = await trigger.poll(ctx(c), r1.nextCursor);
    expect(r2.items).toHaveLength(0);
  });

  it('resyncs after a UIDVALIDITY change without changing external ids', async () => {
    const box = `e2e-${RUN}-uidvalidity`;
    await createWith(box, 0, 5);
    await createWith(box, 50, 2, { messageId: null }); // fallback ids (hash of date+from+subject+size)
    const c = creds(box);
    const first = await drain(c, trigger.initialCursor());
    const before = first.results.flatMap((r) => r.items.map((i) => i.externalId)).sort();
    expect(before).toHaveLength(7);

    // Recreate the mailbox with the same messages: Dovecot assigns a new UIDVALIDITY.
    const raws = await admin(async (a) => {
      const lock = await a.getMailboxLock(box);
      try {
        const out: Buffer[] = [];
        for await (const m of a.fetch('1:*', { source: true })) out.push(m.source!);
        return out;
      } finally {
        lock.release();
      }
    });
    await admin(async (a) => {
      await a.mailboxDelete(box);
      await new Promise((r) => setTimeout(r, 1100)); // UIDVALIDITY is time-based in Dovecot
      await a.mailboxCreate(box);
      for (const raw of raws) await a.append(box, raw, []);
    });
    const second = await drain(c, first.cursor);
    expect(second.cursor.uidValidity).not.toBe(first.cursor.uidValidity);
    const after = second.results.flatMap((r) => r.items.map((i) => i.externalId)).sort();
    // The engine dedups on external id: same ids → nothing new is stored.
    expect(after).toEqual(before);
  });

  it('IDLE: a message delivered over LMTP triggers the callback within seconds', async () => {
    let news = 0;
    const w = watchMailbox(creds('INBOX'), () => void news++, { minBackoffMs: 200 });
    try {
      await w.ready();
      await waitFor(() => news >= 1, 5000, 'the catch-up call after connect');
      const base = news;
      const t0 = Date.now();
      await deliverLmtp(rawMessage(900, { subject: 'IDLE push' }));
      await waitFor(() => news > base, 8000, 'the IDLE notification');
      console.log(`[imap e2e] IDLE push after ${Date.now() - t0} ms`);
    } finally {
      await w.stop();
    }
  });

  it('reconnects after dovecot stop/start and still pushes', async () => {
    let news = 0;
    const states: string[] = [];
    const w = watchMailbox(creds('INBOX'), () => void news++, { minBackoffMs: 200, maxBackoffMs: 1000, onState: (s) => states.push(s) });
    try {
      await w.ready();
      // Dovecot's `stop` leaves running IMAP sessions to exit on their own (tens of seconds); end
      // the sessions of this instance by pid so the drop is immediate, as when a server dies.
      const master = readFileSync(join(dirname(DOVECOT_CONF), 'run', 'master.pid'), 'utf8').trim();
      const sessions = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', master]).toString().split('\n').filter((l) => l.includes('dovecot/imap')).map((l) => Number(l.trim().split(/\s+/)[0]));
      execFileSync('dovecot', ['-c', DOVECOT_CONF, 'stop'], { stdio: 'ignore' });
      for (const pid of sessions) process.kill(pid, 'SIGTERM');
      await waitFor(async () => !(await reachable('127.0.0.1', 1143, 300)), 10_000, 'dovecot to stop');
      await waitFor(() => !w.connected, 10_000, 'the watcher to notice the drop');
      execFileSync('dovecot', ['-c', DOVECOT_CONF], { stdio: 'ignore' });
      await waitFor(() => w.connected, 15_000, 'the watcher to reconnect');
      expect(states).toEqual(expect.arrayContaining(['connected', 'disconnected']));
      const base = news;
      await deliverLmtp(rawMessage(901, { subject: 'after reconnect' }));
      await waitFor(() => news > base, 8000, 'the IDLE notification after reconnect');
    } finally {
      await w.stop();
      if (!(await reachable('127.0.0.1', 1143, 300))) execFileSync('dovecot', ['-c', DOVECOT_CONF], { stdio: 'ignore' });
    }
  });

  it('write-back: mark handled, flag and move are visible to a second client', async () => {
    const box = `e2e-${RUN}-writeback`;
    const archive = `e2e-${RUN}-archive`;
    await createWith(box, 0, 2);
    const c = creds(box);
    const act = (id: string) => connector.actions!.find((a) => a.id === id)!;
    const mid = `<m0.${RUN}@customer.example>`;
    const handled = await act('email.mark_handled').run(ctx(c), act('email.mark_handled').input.parse({ messageId: mid }), 'k1');
    expect(handled.keyword).toBe(true);
    await act('email.flag').run(ctx(c), act('email.flag').input.parse({ messageId: mid }), 'k2');
    const flags = await admin(async (a) => {
      const lock = await a.getMailboxLock(box);
      try {
        const [m] = await a.fetchAll('1', { flags: true });
        return [...m!.flags!];
      } finally {
        lock.release();
      }
    });
    expect(flags).toEqual(expect.arrayContaining(['\\Seen', '$AIOSHandled', '\\Flagged']));

    const moved = await act('email.move').run(ctx(c), act('email.move').input.parse({ messageId: mid, folder: archive }), 'k3');
    expect(moved).toEqual({ moved: 1, created: true });
    const again = await act('email.move').run(ctx(c), act('email.move').input.parse({ messageId: mid, folder: archive }), 'k3');
    expect(again).toEqual({ moved: 0, created: false });
    const counts = await admin(async (a) => ({ src: ((await a.status(box, { messages: true })) || {}).messages, dst: ((await a.status(archive, { messages: true })) || {}).messages }));
    expect(counts).toEqual({ src: 1, dst: 1 });
  });
});

describe('smtp sender against a local smtp-server sink', () => {
  const received: Buffer[] = [];
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks));
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends a reply with In-Reply-To, References and one Re:, and a deterministic Message-ID', async () => {
    const smtp = { host: '127.0.0.1', port, secure: false, from: '"Shop" <hello@shop.example>', allowSelfSigned: false };
    const connector2 = createImapConnector();
    const send = connector2.actions!.find((a) => a.id === 'email.send')!;
    expect(send.effect).toBe('send');
    expect(send.idempotent).toBe(false);
    const input = send.input.parse({ to: 'customer@customer.example', subject: 'Re: Quote for Friday', text: 'Yes, we can do Friday.', inReplyTo: '<q2@customer.example>', references: ['<q1@customer.example>'] });
    const out = await send.run(ctx(creds('INBOX', { smtp })), input, 'run-1:step-2');
    expect(out.messageId).toBe(messageIdForKey('run-1:step-2', 'hello@shop.example'));
    await waitFor(() => received.length === 1, 5000, 'the sink to receive the mail');
    const parsed = await parseMail(received[0]!);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.payload).toMatchObject({ messageId: out.messageId, inReplyTo: '<q2@customer.example>', references: ['<q1@customer.example>', '<q2@customer.example>'], subject: 'Re: Quote for Friday', threadId: '<q1@customer.example>' });

    const sender = createSmtpSender(smtp);
    const again = await sender.sendReply({ to: 'customer@customer.example', subject: 'Quote', text: 'x', inReplyTo: '<q2@customer.example>' }, 'run-1:step-2');
    sender.close();
    expect(again.messageId).toBe(out.messageId); // a retried send is recognisable by its Message-ID
    await waitFor(() => received.length === 2, 5000, 'the second mail');
    const p2 = await parseMail(received[1]!);
    expect(p2.ok && p2.payload.subject).toBe('Re: Quote');
  });
});
