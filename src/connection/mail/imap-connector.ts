import type { ImapFlow } from 'imapflow';
import { z } from 'zod';
import type { Connector, ConnectorAction, ConnectorContext, ConnectorItem, PollingTrigger, PollResult, QuarantinedItem } from '../framework/connector.js';
import { ConnectorError } from '../framework/connector-error.js';
import { findByMessageId, imapCredentialsSchema, mapImapError, newImapClient, withMailbox, type ImapCredentials } from './imap-client.js';
import { parseMail, stableMailId, type ParseLimits } from './parse-mail.js';
import { createSmtpSender, sendReplyInputSchema } from './smtp-sender.js';

export { imapCredentialsSchema, mapImapError, type ImapCredentials } from './imap-client.js';
export { watchMailbox, type MailboxWatch, type WatchOptions } from './imap-watch.js';

/**
 * The `imap` connector (DESIGN §7): polls one mailbox with the cursor UIDVALIDITY + last UID,
 * first backfilling `backfillDays`, and offers write-back actions (mark handled, move, flag) and
 * `email.send` over SMTP. Item external ids come from the Message-ID header (or a hash of
 * date+from+subject+size), never from UIDs, so a UIDVALIDITY reset refetches without duplicates.
 */

/** Poll cursor. `uidValidity` is a decimal string (IMAP's is a 32-bit unsigned number). */
export interface ImapCursor {
  uidValidity: string | null;
  /** Highest UID already returned; 0 before the first message. */
  lastUid: number;
  /** False while the initial window (or a resync after a UIDVALIDITY change) is being read. */
  backfillDone: boolean;
}

/** Tuning for {@link createImapConnector}. */
export interface ImapConnectorOptions {
  /** Messages per poll (default 250). */
  batchSize?: number;
  /** Raw bytes per poll (default 50 MB); a single larger message still goes alone. */
  maxBatchBytes?: number;
  /** Parser limits (message 25 MB, attachment 10 MB, 10 s per message by default). */
  parse?: ParseLimits;
  /** Messages parsed concurrently (default 8). */
  parseConcurrency?: number;
}

/** Keyword set by `email.mark_handled` when the mailbox allows custom keywords. */
export const HANDLED_KEYWORD = '$AIOSHandled';

type Meta = { uid: number; size: number; envelope?: { messageId?: string; date?: Date | string; subject?: string; from?: Array<{ address?: string }> }; internalDate?: Date | string; flags?: Set<string> };

function externalIdFromEnvelope(m: Meta): string {
  return stableMailId({ messageId: m.envelope?.messageId, date: m.envelope?.date ?? null, from: m.envelope?.from?.[0]?.address ?? null, subject: m.envelope?.subject ?? null, size: m.size });
}

async function pollMailbox(client: ImapFlow, creds: ImapCredentials, cursor: ImapCursor, now: Date, opts: ImapConnectorOptions): Promise<PollResult<ImapCursor>> {
  const box = client.mailbox;
  if (!box) throw new ConnectorError('protocol', 'no mailbox is selected after SELECT', { fix: 'Retry; if it persists, check the mailbox name.' });
  const uidValidity = box.uidValidity.toString();
  let cur = cursor;
  if (cur.uidValidity !== uidValidity) {
    // New mailbox or UIDVALIDITY changed: UIDs are meaningless now. Read the window again; stable
    // external ids make the engine drop what it already has.
    cur = { uidValidity, lastUid: 0, backfillDone: false };
  }
  const query = cur.backfillDone ? { uid: `${cur.lastUid + 1}:*` } : { since: new Date(now.getTime() - creds.backfillDays * 86_400_000) };
  const found = box.exists === 0 ? [] : ((await client.search(query, { uid: true })) || []);
  const all = found.filter((u) => u > cur.lastUid).sort((a, b) => a - b);
  const batchSize = opts.batchSize ?? 250;
  const candidates = all.slice(0, batchSize);
  const windowTotal = cur.backfillDone ? 0 : found.length;
  if (candidates.length === 0) {
    // Nothing newer: skip past older messages outside the window (UIDs below UIDNEXT at SELECT).
    const next = { uidValidity, lastUid: cur.backfillDone ? cur.lastUid : Math.max(cur.lastUid, box.uidNext - 1), backfillDone: true };
    return { items: [], nextCursor: next, more: false, ...(cur.backfillDone ? {} : { progress: { done: windowTotal, total: windowTotal } }) };
  }
  const metas = (await client.fetchAll(candidates, { uid: true, size: true, envelope: true, internalDate: true, flags: true }, { uid: true })) as Meta[];
  metas.sort((a, b) => a.uid - b.uid);
  // Keep a prefix within the byte budget (at least one message).
  const maxBytes = opts.maxBatchBytes ?? 50 * 1024 * 1024;
  const maxMessage = opts.parse?.maxMessageBytes ?? 25 * 1024 * 1024;
  const chosen: Meta[] = [];
  let bytes = 0;
  for (const m of metas) {
    const cost = m.size > maxMessage ? 0 : m.size;
    if (chosen.length > 0 && bytes + cost > maxBytes) break;
    chosen.push(m);
    bytes += cost;
  }
  const wanted = chosen.filter((m) => m.size <= maxMessage).map((m) => m.uid);
  const sources = new Map<number, Buffer>();
  if (wanted.length > 0) {
    for await (const msg of client.fetch(wanted, { uid: true, source: true }, { uid: true })) {
      if (msg.source) sources.set(msg.uid, msg.source);
    }
  }
  const items: ConnectorItem[] = [];
  const quarantined: QuarantinedItem[] = [];
  const work = chosen.map((m) => async () => {
    const externalId = externalIdFromEnvelope(m);
    if (m.size > maxMessage) {
      quarantined.push({ externalId, reason: `message is ${m.size} bytes, over the ${maxMessage}-byte limit (maxMessageBytes); it stays on the server`, sample: `uid ${m.uid}, subject ${(m.envelope?.subject ?? '').slice(0, 80)}` });
      return;
    }
    const raw = sources.get(m.uid);
    if (!raw) {
      quarantined.push({ externalId, reason: `server returned no source for uid ${m.uid} (deleted meanwhile?)`, sample: `uid ${m.uid}` });
      return;
    }
    const out = await parseMail(raw, opts.parse);
    if (!out.ok) {
      quarantined.push({ externalId, reason: out.reason, sample: `${raw.length} bytes: ${raw.subarray(0, 200).toString('utf8')}` });
      return;
    }
    const internal = m.internalDate ? new Date(m.internalDate) : null;
    const occurredAt = out.payload.date ? new Date(out.payload.date) : internal && !Number.isNaN(internal.getTime()) ? internal : now;
    items.push({
      externalId,
      type: 'email.received',
      occurredAt,
      payload: { ...out.payload, mailbox: creds.mailbox, uid: m.uid, uidValidity, flags: [...(m.flags ?? [])] },
    });
  });
  const conc = opts.parseConcurrency ?? 8;
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(conc, work.length) }, async () => {
    while (i < work.length) await work[i++]!();
  }));
  items.sort((a, b) => (a.payload.uid as number) - (b.payload.uid as number));
  const lastUid = chosen[chosen.length - 1]!.uid;
  const remaining = all.filter((u) => u > lastUid).length;
  const done = !cur.backfillDone ? found.filter((u) => u <= lastUid).length : 0;
  return {
    items,
    quarantined,
    nextCursor: { uidValidity, lastUid: !cur.backfillDone && remaining === 0 ? Math.max(lastUid, box.uidNext - 1) : lastUid, backfillDone: cur.backfillDone || remaining === 0 },
    more: remaining > 0,
    ...(cur.backfillDone ? {} : { progress: { done, total: windowTotal } }),
  };
}

/** The polling trigger `imap.messages`. */
function messagesTrigger(opts: ImapConnectorOptions): PollingTrigger<ImapCredentials, ImapCursor> {
  return {
    id: 'imap.messages',
    initialCursor: () => ({ uidValidity: null, lastUid: 0, backfillDone: false }),
    poll: (ctx, cursor) => withMailbox(ctx.credentials, (client) => pollMailbox(client, ctx.credentials, cursor, ctx.now(), opts)),
  };
}

/** Input naming one message: by Message-ID (stable), optionally in another mailbox. */
const messageRef = z.object({ messageId: z.string().min(3), mailbox: z.string().optional() });

async function locate(client: ImapFlow, messageId: string): Promise<number[]> {
  const uids = await findByMessageId(client, messageId);
  if (uids.length === 0) throw new ConnectorError('invalid_input', `message ${messageId} is not in ${client.mailbox ? client.mailbox.path : 'the mailbox'}`, { fix: 'It may have been moved or deleted by someone else; check the mailbox.' });
  return uids;
}

const markHandled: ConnectorAction<ImapCredentials, z.infer<typeof messageRef>, { uids: number[]; keyword: boolean }> = {
  id: 'email.mark_handled',
  effect: 'write',
  idempotent: true,
  input: messageRef,
  run: (ctx, input) =>
    withMailbox(ctx.credentials, async (client) => {
      const uids = await locate(client, input.messageId);
      const perm = client.mailbox ? client.mailbox.permanentFlags : undefined;
      const keyword = !perm || perm.has('\\*') || perm.has(HANDLED_KEYWORD);
      await client.messageFlagsAdd(uids, keyword ? ['\\Seen', HANDLED_KEYWORD] : ['\\Seen'], { uid: true });
      return { uids, keyword };
    }, input.mailbox ?? ctx.credentials.mailbox),
};

const flag: ConnectorAction<ImapCredentials, z.infer<typeof messageRef> & { flagged: boolean }, { uids: number[] }> = {
  id: 'email.flag',
  effect: 'write',
  idempotent: true,
  input: messageRef.extend({ flagged: z.boolean().default(true) }),
  run: (ctx, input) =>
    withMailbox(ctx.credentials, async (client) => {
      const uids = await locate(client, input.messageId);
      if (input.flagged) await client.messageFlagsAdd(uids, ['\\Flagged'], { uid: true });
      else await client.messageFlagsRemove(uids, ['\\Flagged'], { uid: true });
      return { uids };
    }, input.mailbox ?? ctx.credentials.mailbox),
};

const move: ConnectorAction<ImapCredentials, z.infer<typeof messageRef> & { folder: string }, { moved: number; created: boolean }> = {
  id: 'email.move',
  effect: 'write',
  idempotent: true,
  input: messageRef.extend({ folder: z.string().min(1) }),
  run: async (ctx, input) => {
    const creds = ctx.credentials;
    const created = await ensureMailbox(creds, input.folder);
    return withMailbox(creds, async (client) => {
      const uids = await findByMessageId(client, input.messageId);
      // Already moved by an earlier attempt: harmless.
      if (uids.length === 0) return { moved: 0, created };
      const r = await client.messageMove(uids, input.folder, { uid: true });
      if (r === false) throw new ConnectorError('protocol', `the server refused to move ${input.messageId} to ${input.folder}`, { fix: 'Check the folder name and permissions.' });
      return { moved: uids.length, created };
    }, input.mailbox ?? creds.mailbox);
  },
};

/** Input of `email.label`: put the message under one AIOS label, removing the other AIOS labels. */
export const labelInputSchema = messageRef.extend({
  /** E.g. `AIOS/Lead`. Only letters, digits, `/`, `_`, `-` and `.` (a valid IMAP keyword and folder name). */
  label: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,60}$/),
  /** `keyword`: an IMAP keyword on the message (it stays where it is); `folder`: moved to a folder of that name. */
  mode: z.enum(['keyword', 'folder']).default('keyword'),
  /** Other labels of the same family to take off (a relabel), keyword mode only. */
  remove: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,60}$/)).max(20).default([]),
});

const label: ConnectorAction<ImapCredentials, z.infer<typeof labelInputSchema>, { uids: number[]; mode: 'keyword' | 'folder'; keyword: boolean; moved?: number }> = {
  id: 'email.label',
  effect: 'write',
  idempotent: true,
  input: labelInputSchema,
  run: async (ctx, input) => {
    if (input.mode === 'folder') {
      const r = await move.run(ctx, { messageId: input.messageId, mailbox: input.mailbox, folder: input.label }, '');
      return { uids: [], mode: 'folder', keyword: false, moved: r.moved };
    }
    return withMailbox(ctx.credentials, async (client) => {
      const uids = await locate(client, input.messageId);
      const perm = client.mailbox ? client.mailbox.permanentFlags : undefined;
      const keyword = !perm || perm.has('\\*') || perm.has(input.label);
      if (!keyword) throw new ConnectorError('invalid_input', `the mailbox does not allow custom keywords such as ${input.label}`, { fix: 'Set playbooks.inbox-triage.label_mode: folder in tenant.yaml to move mail into AIOS folders instead.' });
      const off = input.remove.filter((k) => k !== input.label);
      if (off.length) await client.messageFlagsRemove(uids, off, { uid: true });
      await client.messageFlagsAdd(uids, [input.label], { uid: true });
      return { uids, mode: 'keyword', keyword: true };
    }, input.mailbox ?? ctx.credentials.mailbox);
  },
};

/** Creates `folder` unless it exists; true when it was created. */
async function ensureMailbox(creds: ImapCredentials, folder: string): Promise<boolean> {
  const client = await newImapClient(creds);
  try {
    await client.connect();
    const list = await client.list();
    if (list.some((m) => m.path === folder)) return false;
    const r = await client.mailboxCreate(folder);
    return r.created;
  } catch (err) {
    throw mapImapError(err, creds);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

const send: ConnectorAction<ImapCredentials, z.infer<typeof sendReplyInputSchema>, { messageId: string; accepted: string[] }> = {
  id: 'email.send',
  effect: 'send',
  idempotent: false,
  input: sendReplyInputSchema,
  run: async (ctx, input, idempotencyKey) => {
    const smtp = ctx.credentials.smtp;
    if (!smtp) throw new ConnectorError('invalid_input', 'this mail connection has no SMTP settings, so it cannot send', { fix: 'Add smtp { host, port, secure, user, password, from } to the connection.' });
    const sender = createSmtpSender(smtp);
    try {
      const r = await sender.sendReply(input, idempotencyKey);
      return { messageId: r.messageId, accepted: r.accepted };
    } finally {
      sender.close();
    }
  },
};

/** Builds the `imap` connector. */
export function createImapConnector(opts: ImapConnectorOptions = {}): Connector<ImapCredentials> {
  return {
    kind: 'imap',
    title: 'Email (IMAP/SMTP)',
    credentials: imapCredentialsSchema as unknown as z.ZodType<ImapCredentials>,
    async validate(ctx: ConnectorContext<ImapCredentials>) {
      await withMailbox(ctx.credentials, async () => undefined);
      if (ctx.credentials.smtp) {
        const s = createSmtpSender(ctx.credentials.smtp);
        try {
          await s.verify();
        } finally {
          s.close();
        }
      }
    },
    polling: [messagesTrigger(opts)],
    actions: [send, markHandled, move, flag, label],
  };
}

/** The default `imap` connector instance. */
export const imapConnector = createImapConnector();
