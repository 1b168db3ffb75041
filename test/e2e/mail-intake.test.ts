import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ImapFlow } from 'imapflow';
import { requireServices, DOVECOT_USER } from './services.js';
import { startHarness, eventually, AUTO_POLICY, type Harness } from '../support/harness.js';

/**
 * The whole intake path against the real Dovecot: `POST /api/v1/connections` validates and saves an
 * IMAP connection, the poller backfills the mailbox, and every message becomes an event and joins
 * its sender's contact and email conversation — once, however often the mailbox is polled.
 */
const MAILBOX = `AIOS-Intake-${process.pid}`;
let h: Harness;
let token: string;

function raw(i: number, from: string): string {
  return [
    `From: Customer ${i} <${from}>`,
    'To: test@localhost',
    `Subject: Leaking tap ${i}`,
    `Message-ID: <intake-${process.pid}-${i}@example.com>`,
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello, my kitchen tap (${i}) is leaking. Can you come this week?`,
    '',
  ].join('\r\n');
}

beforeAll(async () => {
  await requireServices(['dovecot']);
  const c = new ImapFlow({ ...DOVECOT_USER, auth: { user: DOVECOT_USER.user, pass: DOVECOT_USER.password }, logger: false });
  await c.connect();
  await c.mailboxCreate(MAILBOX).catch(() => undefined);
  for (let i = 0; i < 3; i++) await c.append(MAILBOX, raw(i, i === 2 ? 'pat@example.com' : 'sam@example.com'), []);
  await c.logout();
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  token = h.aios.cliTokens.get('acme')!;
});
afterAll(async () => {
  await h?.stop();
  const c = new ImapFlow({ ...DOVECOT_USER, auth: { user: DOVECOT_USER.user, pass: DOVECOT_USER.password }, logger: false });
  await c.connect().then(() => c.mailboxDelete(MAILBOX)).catch(() => undefined);
  await c.logout().catch(() => undefined);
});

describe('IMAP intake through AIOS', () => {
  it('connects, backfills, and files each email into the sender’s conversation once', async () => {
    const r = await h.api(token, 'POST', '/api/v1/connections', {
      kind: 'imap', name: 'inbox',
      credentials: { host: DOVECOT_USER.host, port: DOVECOT_USER.port, secure: false, user: DOVECOT_USER.user, password: DOVECOT_USER.password, mailbox: MAILBOX },
    });
    expect(r.status).toBe(201);
    const tid = h.aios.tenants.bySlugOrThrow('acme').id;
    const msgs = await eventually(async () => {
      const rows = await h.aios.db
        .selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
        .select(['conversations.address', 'messages.body']).where('messages.tenant_id', '=', tid).where('conversations.channel', '=', 'email').execute();
      return rows.length === 3 ? rows : undefined;
    }, 20_000, 'three filed emails');
    expect(msgs.filter((m) => m.address === 'sam@example.com')).toHaveLength(2);
    expect(msgs[0]!.body).toMatch(/Leaking tap/);
    const contacts = await h.api(token, 'GET', '/api/v1/contacts?q=example.com');
    expect(contacts.json.contacts.map((c: any) => c.email).sort()).toEqual(['pat@example.com', 'sam@example.com']);

    await h.aios.services.connectors.pollNow(r.json.connection.id);
    await new Promise((res) => setTimeout(res, 1500));
    const again = await h.aios.db.selectFrom('messages').select('id').where('tenant_id', '=', tid).execute();
    expect(again).toHaveLength(3);
    const conn = (await h.api(token, 'GET', '/api/v1/connections')).json.connections[0];
    expect(conn.status).toBe('ok');
  });
});
